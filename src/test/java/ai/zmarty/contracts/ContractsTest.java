package ai.zmarty.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files of {@code docs/contracts}: each is a JSON Schema 2020-12 whose {@code $id} is its name,
 * with at least one example that validates; breaking an example (a required field taken away, a
 * field given the wrong type) makes it fail naming that field, so no schema accepts anything; and
 * the copies in the jar are these very files.
 */
class ContractsTest {
  static final Path DIR = Path.of("docs/contracts");
  private final Contracts contracts = Contracts.directory(DIR);

  static List<Path> files() throws IOException {
    try (Stream<Path> list = Files.list(DIR)) {
      return list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  static JsonObject read(Path file) throws IOException {
    return new JsonObject(Files.readString(file));
  }

  @Test
  void everyContractIsADraft202012SchemaNamedByItsFileWithExamples() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      SchemaRepository repo = SchemaRepository.create(new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(Contracts.BASE_URI).setOutputFormat(OutputFormat.Basic))
          .preloadMetaSchema(vertx.fileSystem(), Draft.DRAFT202012);
      Validator meta = repo.validator("https://json-schema.org/draft/2020-12/schema");
      List<Path> files = files();
      assertThat(files).hasSizeGreaterThan(40);
      List<String> problems = new ArrayList<>();
      for (Path f : files) {
        String name = f.getFileName().toString();
        JsonObject schema = read(f);
        if (!name.matches("(common|http|bus|queue|event|model|file)\\.[a-z0-9_.-]+\\.json")) {
          problems.add(name + ": not named <kind>.<name>.json");
        }
        if (!"https://json-schema.org/draft/2020-12/schema".equals(schema.getString("$schema"))) {
          problems.add(name + ": $schema is not draft 2020-12");
        }
        if (!(Contracts.BASE_URI + name).equals(schema.getString("$id"))) {
          problems.add(name + ": $id is not " + Contracts.BASE_URI + name);
        }
        if (schema.getString("title") == null || schema.getString("description") == null) {
          problems.add(name + ": needs a title and a description");
        }
        if (!(schema.getValue("examples") instanceof JsonArray examples) || examples.isEmpty()) {
          problems.add(name + ": has no examples");
        }
        if (!Boolean.TRUE.equals(meta.validate(schema).getValid())) {
          problems.add(name + ": not a valid 2020-12 schema: " + meta.validate(schema).toJson().encode());
        }
      }
      assertThat(problems).isEmpty();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyExampleValidatesAgainstItsSchema() throws Exception {
    List<String> problems = new ArrayList<>();
    int examples = 0;
    for (Path f : files()) {
      String name = f.getFileName().toString();
      Schema schema = contracts.schema(name);
      for (Object example : read(f).getJsonArray("examples")) {
        examples++;
        List<FieldProblem> bad = schema.check(example);
        if (!bad.isEmpty()) {
          problems.add(name + " example " + example + ": " + bad);
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(examples).isGreaterThan(60);
  }

  /** Each required field taken out of each object example, and each typed field given a value of another type, must fail naming it. */
  @Test
  void brokenExamplesFailNamingTheBrokenField() throws Exception {
    List<String> passed = new ArrayList<>();
    int broken = 0;
    for (Path f : files()) {
      String name = f.getFileName().toString();
      JsonObject raw = read(f);
      JsonObject shape = shape(raw);
      if (shape == null) {
        continue;
      }
      Schema schema = contracts.schema(name);
      for (Object example : raw.getJsonArray("examples")) {
        if (!(example instanceof JsonObject ex)) {
          continue;
        }
        for (Object req : shape.getJsonArray("required", new JsonArray())) {
          JsonObject without = ex.copy();
          without.remove((String) req);
          broken++;
          if (schema.check(without).stream().noneMatch(p -> p.field().equals("/" + req))) {
            passed.add(name + " without " + req);
          }
        }
        for (Map.Entry<String, Object> prop : shape.getJsonObject("properties", new JsonObject())) {
          Object wrong = wrongValue(prop.getValue());
          if (wrong == null || !ex.containsKey(prop.getKey())) {
            continue;
          }
          broken++;
          if (schema.check(ex.copy().put(prop.getKey(), wrong)).stream().noneMatch(p -> p.field().equals("/" + prop.getKey()))) {
            passed.add(name + " with " + prop.getKey() + " = " + wrong);
          }
        }
      }
    }
    assertThat(passed).as("broken examples a schema accepted").isEmpty();
    assertThat(broken).isGreaterThan(200);
  }

  @Test
  void aBodyWithSeveralBadFieldsGetsOneProblemPerFieldInTheSchemasOwnWords() {
    Schema credits = contracts.schema("http.admin.credits.request");
    List<FieldProblem> problems = credits.check(new JsonObject().put("user_id", "not-a-uuid").put("amount", 1.5).put("reason", ""));
    assertThat(problems).extracting(FieldProblem::field).containsExactly("/user_id", "/amount", "/reason");
    assertThat(problems).extracting(FieldProblem::problem)
        .containsExactly("user_id must be a UUID", "amount must be a whole number of credits from 1 to 10,000,000", "reason is required (a non-empty text)");
    assertThat(credits.check(new JsonObject())).extracting(FieldProblem::field).containsExactly("/user_id", "/amount", "/reason");
    assertThat(contracts.schema("queue.compute_winrate").check(new JsonObject().put("symbol", "BTC/USDT")))
        .containsExactly(new FieldProblem("/timeframe", "timeframe is missing"));
    assertThat(contracts.schema("queue.ingest_indicators").check(new JsonObject().put("symbol", "DROP TABLE;").put("timeframe", "7h")))
        .extracting(FieldProblem::problem).containsExactly("symbol is not a symbol like BTC/USDT (one asset, or two joined by /, :, _ or -)", "unknown timeframe: it must be one of 1m, 5m, 15m, 30m, 1h, 4h, 1d");
    // no x-problem: the field and the validator's words
    assertThat(contracts.schema("common.usage").check(new JsonObject().put("input_tokens", -1).put("output_tokens", 2)))
        .singleElement().satisfies(p -> assertThat(p.problem()).startsWith("input_tokens: "));
  }

  /** The decision event's plans are the model decision's own (one definition, referred to), or null in a fallback. */
  @Test
  void aDecisionEventsPlansAreTheModelDecisionsOrNull() throws Exception {
    Schema event = contracts.schema("event.lens.decision");
    JsonObject ok = read(DIR.resolve("event.lens.decision.json")).getJsonArray("examples").getJsonObject(0);
    assertThat(event.check(ok.copy().put("entry_plan", null).put("risk_plan", null))).isEmpty();
    assertThat(event.check(ok.copy().put("entry_plan", new JsonObject().put("order_type", "stop").put("price", 1))))
        .extracting(FieldProblem::field).contains("/entry_plan/order_type"); // and /entry_plan: not null either
    assertThat(event.check(ok.copy().put("risk_plan", new JsonObject().put("stop", 1)))).extracting(FieldProblem::field).contains("/risk_plan/targets");
    assertThat(event.check(ok.copy().put("status", "decided").put("decision", "take"))).extracting(FieldProblem::field).containsExactly("/status", "/decision");
  }

  @Test
  void theJarCarriesTheseVeryFiles() throws Exception {
    for (Path f : files()) {
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(Contracts.RESOURCE_DIR + f.getFileName())) {
        assertThat(in).as(f.getFileName() + " on the classpath").isNotNull();
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).as(f.getFileName().toString()).isEqualTo(Files.readString(f));
      }
    }
    assertThat(Contracts.bundled().schema("queue.ingest_indicators").check(new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "1h"))).isEmpty();
  }

  @Test
  void aMissingContractOrAMissingReferenceIsNamed() throws Exception {
    Path dir = Files.createTempDirectory("contracts");
    Files.writeString(dir.resolve("http.x.json"), "{\"$id\":\"" + Contracts.BASE_URI + "http.x.json\",\"$ref\":\"common.gone.json\"}");
    Contracts c = Contracts.directory(dir);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.schema("http.nope")).hasMessageContaining("no contract http.nope.json");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.schema("http.x")).hasMessageContaining("no contract common.gone.json (referred to by http.x.json)");
  }

  /** The object schema of a contract (itself, or the object branch it refers to), or null. */
  private JsonObject shape(JsonObject raw) throws IOException {
    if ("object".equals(raw.getValue("type"))) {
      return raw;
    }
    if (raw.getString("$ref") != null) {
      return shape(read(DIR.resolve(raw.getString("$ref"))));
    }
    return null;
  }

  /** A value of a type the property does not allow, or null when it allows any or has no plain type. */
  private static Object wrongValue(Object property) {
    if (!(property instanceof JsonObject p)) {
      return null;
    }
    Object type = p.getValue("type");
    List<Object> types = type instanceof JsonArray a ? a.getList() : type == null ? List.of() : List.of(type);
    if (types.isEmpty()) {
      return p.containsKey("enum") || p.containsKey("const") ? new JsonObject().put("not", "allowed") : null;
    }
    if (!types.contains("object")) {
      return new JsonObject().put("wrong", "type");
    }
    return types.contains("string") ? null : "wrong type";
  }
}
