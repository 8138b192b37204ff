package ai.zmarty.lens;

import ai.zmarty.contracts.Contracts;
import ai.zmarty.contracts.FieldProblem;
import ai.zmarty.contracts.Schema;
import ai.zmarty.router.ModelProvider;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code ModelDecision} JSON Schema, the data contract {@code docs/contracts/model.decision.json}
 * (loaded from the jar by {@link Contracts#bundled()}, like every contract): what each model is
 * asked to answer in, and what every answer is checked against, whatever the provider promised.
 */
public final class ModelDecisionSchema {
  /** The contract's name under {@code docs/contracts}. */
  public static final String CONTRACT = "model.decision";
  /** The name the providers see (OpenAI's json_schema name, Anthropic's tool name). */
  public static final String NAME = "model_decision";

  private final JsonObject schema;
  private final Schema contract;

  /** An answer read: the decision, or why it is not one. */
  public sealed interface Parsed {}

  public record Valid(ModelDecision decision) implements Parsed {}

  public record Invalid(String reason) implements Parsed {}

  public ModelDecisionSchema() {
    this.schema = Contracts.bundled().document(CONTRACT);
    this.contract = Contracts.bundled().schema(CONTRACT);
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
    List<FieldProblem> problems = contract.check(json);
    if (problems.isEmpty()) {
      return new Valid(ModelDecision.fromValidJson(json));
    }
    return new Invalid("does not match the ModelDecision schema: " + Schema.summary(problems.subList(0, Math.min(5, problems.size()))));
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
}
