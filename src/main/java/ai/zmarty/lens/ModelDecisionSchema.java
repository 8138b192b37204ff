package ai.zmarty.lens;

import ai.zmarty.router.ModelProvider;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The {@code ModelDecision} JSON Schema (draft 2020-12, shipped as {@code
 * contracts/model_decision.schema.json}): what each model is asked to answer in, and what every
 * answer is checked against, whatever the provider promised.
 */
public final class ModelDecisionSchema {
  public static final String RESOURCE = "contracts/model_decision.schema.json";
  /** The name the providers see (OpenAI's json_schema name, Anthropic's tool name). */
  public static final String NAME = "model_decision";

  private final JsonObject schema;
  private final Validator validator;

  /** An answer read: the decision, or why it is not one. */
  public sealed interface Parsed {}

  public record Valid(ModelDecision decision) implements Parsed {}

  public record Invalid(String reason) implements Parsed {}

  public ModelDecisionSchema() {
    this.schema = load();
    this.validator = Validator.create(JsonSchema.of(schema), new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://zmarty.ai/").setOutputFormat(OutputFormat.Basic));
  }

  public JsonObject schema() {
    return schema.copy();
  }

  /** The structured-output request every real model gets. */
  public ModelProvider.Output output() {
    return new ModelProvider.Output(NAME, "Record the decision on the trade signal.", schema);
  }

  /** Parses a model's answer text: one JSON object matching the schema (a Markdown code fence around it is tolerated). */
  public Parsed parse(String raw) {
    if (raw == null || raw.isBlank()) {
      return new Invalid("empty answer");
    }
    String text = unfence(raw.strip());
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return new Invalid("not a JSON object: " + firstLine(e.getMessage()));
    }
    OutputUnit result = validator.validate(json);
    if (Boolean.TRUE.equals(result.getValid())) {
      return new Valid(ModelDecision.fromValidJson(json));
    }
    String errors = result.getErrors() == null ? "invalid" : result.getErrors().stream().map(u -> (u.getInstanceLocation() == null || u.getInstanceLocation().isEmpty() ? "/" : u.getInstanceLocation()) + ": " + u.getError()).distinct().limit(5).collect(Collectors.joining("; "));
    return new Invalid("does not match the ModelDecision schema: " + errors);
  }

  private static String unfence(String text) {
    if (text.startsWith("```") && text.endsWith("```") && text.length() > 6) {
      String inner = text.substring(3, text.length() - 3);
      int newline = inner.indexOf('\n');
      return newline < 0 ? inner : inner.substring(newline + 1).strip();
    }
    return text;
  }

  private static String firstLine(String message) {
    String m = message == null ? "" : message;
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static JsonObject load() {
    try (InputStream in = ModelDecisionSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
