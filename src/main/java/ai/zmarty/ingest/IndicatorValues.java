package ai.zmarty.ingest;

import io.vertx.core.json.JsonObject;

/**
 * The {@code values} of one {@code indicators} row: the data contract between ingest (writer) and
 * the signal strategy (reader). A value is null while its indicator has too few bars to say
 * anything; JSON keys are snake case ({@code ema_9}, {@code macd_hist}, …).
 */
public record IndicatorValues(Double ema9, Double ema21, Double ema50, Double rsi14, Double macd, Double macdSignal, Double macdHist, Double atr14) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("ema_9", ema9)
        .put("ema_21", ema21)
        .put("ema_50", ema50)
        .put("rsi_14", rsi14)
        .put("macd", macd)
        .put("macd_signal", macdSignal)
        .put("macd_hist", macdHist)
        .put("atr_14", atr14);
  }

  public static IndicatorValues fromJson(JsonObject json) {
    return new IndicatorValues(
        number(json, "ema_9"),
        number(json, "ema_21"),
        number(json, "ema_50"),
        number(json, "rsi_14"),
        number(json, "macd"),
        number(json, "macd_signal"),
        number(json, "macd_hist"),
        number(json, "atr_14"));
  }

  private static Double number(JsonObject json, String key) {
    return json.getValue(key) instanceof Number n ? n.doubleValue() : null;
  }
}
