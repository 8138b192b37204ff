package ai.zmarty.lens;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * What {@code zmarty lens replay} asks to judge a stored signal again: one model's decision on the
 * signal (as the evaluation stage gives it to the models) and the enriched payload the models saw,
 * as {@code {status, decision, confidence, prompt_version}}. Only what was stored is given, so the
 * market is the one at judging time, never a later one.
 */
public interface ReplayJudge {
  Future<JsonObject> judge(String model, JsonObject signal, JsonObject payload);

  /**
   * The evaluation stage's own judges: {@code panel}'s offline rules and real providers, with
   * their prompts, structured output, schema check and timeout; a model's failure is its outcome
   * (status timeout, invalid_json or provider_error with the fallback decision), not an error.
   */
  static ReplayJudge of(EvaluationPanel panel) {
    return (model, signal, payload) -> {
      List<Future<EvaluationOutcome>> asked = panel.ask("replay", signal, payload, Set.of(model));
      if (asked.isEmpty()) {
        return Future.failedFuture(new IllegalArgumentException("model " + model + " is not one of " + panel.models()));
      }
      return asked.get(0).map(o -> new JsonObject()
          .put("status", o.status())
          .put("decision", o.decision().decision())
          .put("confidence", o.decision().confidence())
          .put("prompt_version", o.promptVersion()));
    };
  }
}
