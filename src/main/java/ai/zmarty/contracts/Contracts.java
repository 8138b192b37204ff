package ai.zmarty.contracts;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.SchemaRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The data contracts of {@code docs/contracts/} (JSON Schema 2020-12, one schema per file, named
 * {@code <kind>.<name>.json}): the build copies that folder into the jar as {@code
 * docs/contracts/}, so the program validates with the very files the docs show. Each schema is
 * compiled once, on first use (the HTTP routes and job consumers ask for theirs when they start),
 * with the files it refers to ({@code "$ref": "common.pair.json"}) in a repository of its own.
 */
public final class Contracts {
  /** The {@code $id} of {@code <file>} is this plus the file name. */
  public static final String BASE_URI = "https://zmarty.ai/contracts/";
  /** Where the build puts the contracts on the classpath. */
  public static final String RESOURCE_DIR = "docs/contracts/";

  /**
   * The jar's own contracts. A shared instance because they are read-only resources of the build,
   * like a compiled regular expression: nothing to configure, nothing to close.
   */
  private static final Contracts BUNDLED = new Contracts(Contracts::resource);

  private final Function<String, String> source;
  private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

  private Contracts(Function<String, String> source) {
    this.source = source;
  }

  public static Contracts bundled() {
    return BUNDLED;
  }

  /** The contracts of a folder, e.g. the checkout's {@code docs/contracts} (tests). */
  public static Contracts directory(Path dir) {
    return new Contracts(file -> {
      try {
        return Files.readString(dir.resolve(file));
      } catch (NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * The compiled contract {@code name} ({@code queue.ingest_indicators}, with or without
   * {@code .json}).
   *
   * @throws IllegalArgumentException when it or a file it refers to is missing or not a schema
   */
  public Schema schema(String name) {
    String file = name.endsWith(".json") ? name : name + ".json";
    return compiled.computeIfAbsent(file, this::compile);
  }

  /**
   * The text of contract {@code name} as a JSON object (a copy), for code that hands a schema on,
   * e.g. as a model's structured-output schema.
   *
   * @throws IllegalArgumentException when it is missing or not a JSON object
   */
  public JsonObject document(String name) {
    String file = name.endsWith(".json") ? name : name + ".json";
    String text = source.apply(file);
    if (text == null) {
      throw new IllegalArgumentException("no contract " + file + " under " + RESOURCE_DIR);
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("contract " + file + " is not a JSON object: " + e.getMessage());
    }
  }

  /** Whether a contract of that name exists. */
  public boolean has(String name) {
    return source.apply(name.endsWith(".json") ? name : name + ".json") != null;
  }

  private Schema compile(String file) {
    Map<String, JsonObject> files = new LinkedHashMap<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(file);
    while (!todo.isEmpty()) {
      String next = todo.poll();
      if (files.containsKey(next)) {
        continue;
      }
      String text = source.apply(next);
      if (text == null) {
        throw new IllegalArgumentException("no contract " + next + (next.equals(file) ? "" : " (referred to by " + file + ")") + " under " + RESOURCE_DIR);
      }
      JsonObject json;
      try {
        json = new JsonObject(text);
      } catch (DecodeException e) {
        throw new IllegalArgumentException("contract " + next + " is not a JSON object: " + e.getMessage());
      }
      files.put(next, json);
      references(json, todo);
    }
    SchemaRepository repository = SchemaRepository.create(new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE_URI).setOutputFormat(OutputFormat.Basic));
    try {
      files.forEach((name, json) -> repository.dereference(BASE_URI + name, JsonSchema.of(json)));
      return new Schema(file.substring(0, file.length() - 5), repository.validator(BASE_URI + file), files);
    } catch (SchemaException e) {
      throw new IllegalArgumentException("contract " + file + " cannot be compiled: " + e.getMessage());
    }
  }

  /** Adds the files named by every {@code $ref} in {@code node} (a reference inside the same file starts with {@code #}). */
  private static void references(Object node, Deque<String> todo) {
    if (node instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) {
        if (e.getKey().equals("$ref") && e.getValue() instanceof String ref && !ref.startsWith("#")) {
          String target = ref.contains("#") ? ref.substring(0, ref.indexOf('#')) : ref;
          todo.add(target.startsWith(BASE_URI) ? target.substring(BASE_URI.length()) : target);
        } else if (!e.getKey().equals("examples")) {
          references(e.getValue(), todo);
        }
      }
    } else if (node instanceof JsonArray a) {
      a.forEach(v -> references(v, todo));
    }
  }

  private static String resource(String file) {
    try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
