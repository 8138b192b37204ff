package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The offline rules on hand-computed cases: trend agreement, RSI, funding, quality flags, ATR plans. */
class OfflineEvaluatorTest {
  private final OfflineEvaluator rules = new OfflineEvaluator();

  private static JsonObject signal(String direction, double entry) {
    return new JsonObject().put("direction", direction).put("entry_price", entry).put("symbol", "BTC/USDT").put("event_type", "OPEN_SIGNAL");
  }

  /** A timeframe trending up (9 > 21 > 50), down, or flat, with its RSI and ATR. */
  private static JsonObject tf(int trend, double rsi, double atr) {
    double a = 100;
    double b = 100 - trend;
    double c = 100 - 2 * trend;
    return new JsonObject().put("ema_9", a).put("ema_21", b).put("ema_50", trend == 0 ? 101 : c).put("rsi_14", rsi).put("atr_14", atr);
  }

  private static JsonObject payload(JsonObject ta) {
    return new JsonObject().put("ta", ta);
  }

  @Test
  void allTimeframesWithTheLongEnterWithAtrStopsAndTargets() {
    // jsonb orders keys 1h, 4h, 15m: the rules sort by timeframe themselves
    JsonObject ta = new JsonObject().put("1h", tf(1, 60, 200)).put("4h", tf(1, 62, 400)).put("15m", tf(1, 55, 100));
    ModelDecision d = rules.evaluate(signal("long", 64000), payload(ta));

    // agree 1, against 0, no penalty: score 1 → confidence clamp(0.5 + 0.5) = 0.95
    assertThat(d.decision()).isEqualTo("ENTER");
    assertThat(d.confidence()).isEqualTo(0.95);
    // the longest timeframe's ATR (4h: 400): stop 1.5 ATR below, targets 1.5 and 3 ATR above
    assertThat(d.riskPlan()).isEqualTo(new JsonObject().put("stop", 63400.0).put("targets", new JsonArray().add(64600.0).add(65200.0)));
    assertThat(d.entryPlan()).isEqualTo(new JsonObject().put("order_type", "market").put("price", 64000.0));
    assertThat(d.sizePct()).isEqualTo(4.75);
    assertThat(d.reasons()).containsExactly("3 of 3 timeframes trend with the long, 0 against");
  }

  @Test
  void aShortMirrorsThePlan() {
    JsonObject ta = new JsonObject().put("15m", tf(-1, 45, 10)).put("1h", tf(-1, 40, 20));
    ModelDecision d = rules.evaluate(signal("short", 3000), payload(ta));

    assertThat(d.decision()).isEqualTo("ENTER");
    assertThat(d.riskPlan()).isEqualTo(new JsonObject().put("stop", 3030.0).put("targets", new JsonArray().add(2970.0).add(2940.0)));
  }

  @Test
  void trendsAgainstTheSignalIgnoreIt() {
    JsonObject ta = new JsonObject().put("15m", tf(-1, 40, 100)).put("1h", tf(-1, 40, 100)).put("4h", tf(1, 50, 100));
    ModelDecision d = rules.evaluate(signal("long", 64000), payload(ta));

    // agree 1/3, against 2/3 → IGNORE; score −1/3 → confidence 0.5 + 1/6 = 0.67
    assertThat(d.decision()).isEqualTo("IGNORE");
    assertThat(d.confidence()).isEqualTo(0.67);
    assertThat(d.sizePct()).isZero();
  }

  @Test
  void anOverboughtRsiOnTheShortestTimeframeWaitsForAPullback() {
    JsonObject ta = new JsonObject().put("4h", tf(1, 50, 400)).put("15m", tf(1, 78, 100)).put("1h", tf(1, 50, 200));
    ModelDecision d = rules.evaluate(signal("long", 64000), payload(ta));

    // score 1 − 0.3 = 0.7 but RSI stretched → WAIT; confidence 0.5 + 0.35 = 0.85; limit half an ATR lower
    assertThat(d.decision()).isEqualTo("WAIT");
    assertThat(d.confidence()).isEqualTo(0.85);
    assertThat(d.entryPlan()).isEqualTo(new JsonObject().put("order_type", "limit").put("price", 63800.0));
    assertThat(d.reasons()).contains("RSI 78.0 is overbought");
    assertThat(d.sizePct()).isZero();
  }

  @Test
  void crowdedFundingAndQualityFlagsLowerTheScoreToWait() {
    JsonObject ta = new JsonObject().put("15m", tf(1, 55, 100)).put("1h", tf(1, 55, 200)).put("4h", tf(0, 55, 400));
    JsonObject p = payload(ta).put("derivatives", new JsonObject().put("funding_1h", 0.0002))
        .put("quality", new JsonObject().put("orderbook", new JsonArray().add("crossed")).put("ticker", new JsonArray()));
    ModelDecision d = rules.evaluate(signal("long", 64000), p);

    // agree 2/3, against 0, penalties 0.2 + 0.1 → score 0.3667 < 0.5 → WAIT; confidence 0.5 + 0.1833 = 0.68
    assertThat(d.decision()).isEqualTo("WAIT");
    assertThat(d.confidence()).isEqualTo(0.68);
    assertThat(d.reasons()).containsExactly("2 of 3 timeframes trend with the long, 0 against", "funding 0.0200% an hour shows longs crowded", "quality flags on orderbook");
  }

  @Test
  void noTrendDataIgnoresWithLowConfidenceAndAOnePercentStop() {
    ModelDecision d = rules.evaluate(signal("long", 100), new JsonObject().put("ta", new JsonObject()));

    assertThat(d.decision()).isEqualTo("IGNORE");
    assertThat(d.confidence()).isEqualTo(0.3);
    assertThat(d.riskPlan().getDouble("stop")).isEqualTo(98.5);
  }

  @Test
  void theSameInputAlwaysGivesTheSameDecision() {
    JsonObject ta = new JsonObject().put("15m", tf(1, 66, 100)).put("1h", tf(0, 50, 200)).put("4h", tf(-1, 50, 300));
    JsonObject p = payload(ta).put("derivatives", new JsonObject().put("funding_rate", "-0.00005"));
    List<ModelDecision> runs = java.util.stream.IntStream.range(0, 5).mapToObj(i -> rules.evaluate(signal("long", 500), p.copy())).toList();

    assertThat(runs).allSatisfy(d -> assertThat(d).isEqualTo(runs.get(0)));
    // and every decision it makes is valid against the ModelDecision schema
    assertThat(new ModelDecisionSchema().parse(runs.get(0).toJson().encode())).isInstanceOf(ModelDecisionSchema.Valid.class);
  }
}
