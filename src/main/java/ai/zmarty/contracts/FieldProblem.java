package ai.zmarty.contracts;

import io.vertx.core.json.JsonObject;

/**
 * One field of a JSON document that breaks its contract: {@code field} is a JSON pointer into the
 * document ({@code /symbol}, {@code /targets/0}; empty for the document itself) and {@code problem}
 * a sentence a person can act on.
 */
public record FieldProblem(String field, String problem) {
  public JsonObject toJson() {
    return new JsonObject().put("field", field).put("problem", problem);
  }

  @Override
  public String toString() {
    return problem;
  }
}
