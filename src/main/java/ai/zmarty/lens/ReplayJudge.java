package ai.zmarty.lens;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * What {@code zmarty lens replay} asks to judge a stored signal again: one model's decision on the
 * signal ({@code {symbol, event_type, direction, entry_price}}) and the enriched payload the models
 * saw, as {@code {decision, confidence, prompt_version}}. Only what was stored is given, so the
 * market is the one at judging time, never a later one.
 */
public interface ReplayJudge {
  Future<JsonObject> judge(String model, JsonObject signal, JsonObject payload);
}
