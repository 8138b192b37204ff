package ai.zmarty.contracts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the program reads a file it depends on (a market CSV, a conf file, a prompt): a missing,
 * unreadable or malformed file gives ONE warning naming the file and the problem, and an empty
 * result the caller can carry on with — never an exception or a stack trace. JSON and YAML
 * documents are also checked against their contract ({@link Schema}), naming each bad field.
 */
public final class FileLoad {
  private static final Logger log = LoggerFactory.getLogger(FileLoad.class);

  private FileLoad() {}

  /** Reads a file's content; any exception it throws means the file is malformed, its message says how. */
  @FunctionalInterface
  public interface Parser<T> {
    T parse(Reader reader, String name) throws Exception;
  }

  /** A file on disk, parsed; empty after one warning when it is missing or the parser refuses it. */
  public static <T> Optional<T> path(Path file, Parser<T> parser) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parsed(file.toString(), reader, parser);
    } catch (NoSuchFileException e) {
      return warn(file.toString(), "the file does not exist");
    } catch (IOException | RuntimeException e) {
      return warn(file.toString(), "cannot be read: " + describe(e));
    }
  }

  /** A classpath resource (e.g. {@code market/btc_usd_4h.csv}), parsed; empty after one warning otherwise. */
  public static <T> Optional<T> resource(String path, Parser<T> parser) {
    InputStream in = FileLoad.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      return warn(path, "no such resource on the classpath");
    }
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return parsed(path, reader, parser);
    } catch (IOException | RuntimeException e) {
      return warn(path, "cannot be read: " + describe(e));
    }
  }

  /** A UTF-8 text file, whole (e.g. a prompt); empty after one warning when missing or unreadable. */
  public static Optional<String> text(Path file) {
    return path(file, (reader, name) -> {
      StringBuilder out = new StringBuilder();
      char[] buffer = new char[8192];
      for (int n; (n = reader.read(buffer)) >= 0; ) {
        out.append(buffer, 0, n);
      }
      return out.toString();
    });
  }

  /**
   * The files of {@code dir} ending in {@code suffix} (e.g. {@code conf/prompts}, {@code .md}), by
   * file name, in name order; a missing folder gives one warning and an empty map, an unreadable
   * file one warning and is left out.
   */
  public static Map<String, String> texts(Path dir, String suffix) {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      warn(dir.toString(), "the folder does not exist");
      return out;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException | RuntimeException e) {
      warn(dir.toString(), "cannot be listed: " + describe(e));
      return out;
    }
    files.forEach(f -> text(f).ifPresent(t -> out.put(f.getFileName().toString(), t)));
    return out;
  }

  /**
   * A JSON document ({@code .json}) or a YAML one (any other name) that must keep {@code contract};
   * empty after one warning naming the file and each bad field otherwise.
   */
  public static Optional<JsonObject> document(Path file, Schema contract) {
    return path(file, documentParser(contract));
  }

  /** The same for a classpath resource. */
  public static Optional<JsonObject> documentResource(String path, Schema contract) {
    return resource(path, documentParser(contract));
  }

  private static Parser<JsonObject> documentParser(Schema contract) {
    return (reader, name) -> {
      JsonObject doc = read(reader, name);
      List<FieldProblem> problems = contract.check(doc);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("does not match its contract " + contract.name() + ": " + Schema.summary(problems));
      }
      return doc;
    };
  }

  @SuppressWarnings("unchecked")
  private static JsonObject read(Reader reader, String name) throws IOException {
    ObjectMapper mapper = name.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
    Object value = mapper.readValue(reader, Object.class);
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("expected an object (key: value lines), got " + (value == null ? "an empty document" : value.getClass().getSimpleName()));
    }
    return new JsonObject((Map<String, Object>) map);
  }

  /** Parses a document given as text (for a caller that read it already). */
  public static Optional<JsonObject> document(String name, String content, Schema contract) {
    return parsed(name, new StringReader(content), documentParser(contract));
  }

  private static <T> Optional<T> parsed(String name, Reader reader, Parser<T> parser) {
    try {
      T value = parser.parse(reader, name);
      if (value == null) {
        return warn(name, "is empty");
      }
      return Optional.of(value);
    } catch (Exception e) {
      return warn(name, describe(e));
    }
  }

  private static <T> Optional<T> warn(String name, String problem) {
    log.warn("file {} not loaded, using an empty result: {}", name, problem);
    return Optional.empty();
  }

  /** The exception's own message, first line only (Jackson appends a source excerpt), never a trace. */
  private static String describe(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
