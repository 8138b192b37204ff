package ai.zmarty.lens;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The replay's stand-in judge, deterministic and offline, whatever the model's name: per timeframe
 * of the payload's {@code ta} (or {@code ta.timeframes}) the trend is up when EMA 9 > 21 > 50 and
 * down when 9 < 21 < 50; ENTER when at least two thirds of the trending timeframes go the signal's
 * way, IGNORE when none trends, else WAIT; confidence the share going its way. (The evaluation
 * stage's own offline evaluator replaces it once both are on main.)
 */
public final class ReplayRules implements ReplayJudge {
  public static final String VERSION = "replay-rules-v1";

  @Override
  public Future<JsonObject> judge(String model, JsonObject signal, JsonObject payload) {
    return Future.succeededFuture(decide(signal, payload));
  }

  static JsonObject decide(JsonObject signal, JsonObject payload) {
    int wanted = "short".equals(signal.getString("direction")) ? -1 : 1;
    JsonObject ta = payload == null ? null : payload.getJsonObject("ta");
    if (ta != null && ta.getValue("timeframes") instanceof JsonObject inner) {
      ta = inner;
    }
    int trending = 0;
    int with = 0;
    if (ta != null) {
      for (String tf : ta.fieldNames()) {
        if (!(ta.getValue(tf) instanceof JsonObject t)) {
          continue;
        }
        Double fast = number(t, "ema9", "ema_9");
        Double mid = number(t, "ema21", "ema_21");
        Double slow = number(t, "ema50", "ema_50");
        if (fast == null || mid == null || slow == null) {
          continue;
        }
        int trend = fast > mid && mid > slow ? 1 : fast < mid && mid < slow ? -1 : 0;
        trending += trend == 0 ? 0 : 1;
        with += trend == wanted ? 1 : 0;
      }
    }
    String decision = trending == 0 ? "IGNORE" : with * 3 >= trending * 2 ? "ENTER" : "WAIT";
    double confidence = trending == 0 ? 0.3 : (double) with / trending;
    return new JsonObject().put("decision", decision).put("confidence", confidence).put("prompt_version", VERSION);
  }

  private static Double number(JsonObject o, String... names) {
    for (String n : names) {
      if (o.getValue(n) instanceof Number v) {
        return v.doubleValue();
      }
    }
    return null;
  }
}
