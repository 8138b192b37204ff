package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.zmarty.lens.JudgeRule.Pending;
import ai.zmarty.lens.JudgeRule.Scored;
import ai.zmarty.market.Candle;
import ai.zmarty.winrate.Resolution.OpenSignal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Scoring one decision by hand: 1h bars, a decision at 10:20 (its bar 10:00, judged from 11:00 on). */
class JudgeRuleTest {
  private static final Duration H1 = Duration.ofHours(1);
  private static final Instant DECIDED = Instant.parse("2026-01-05T10:20:00Z");

  private static Candle bar(String hhmm, double o, double h, double l, double c) {
    return new Candle(Instant.parse("2026-01-05T" + hhmm + ":00Z"), o, h, l, c, 1);
  }

  private static Pending pending(String direction, JsonObject plan) {
    return new Pending("d1", "BTC/USDT", "OPEN_SIGNAL", direction, 100, plan, DECIDED);
  }

  private static JsonObject plan(Object stop, Object targets) {
    return new JsonObject().put("stop", stop).put("targets", targets);
  }

  private static Optional<Scored> score(Pending p, int horizon, List<Candle> bars) {
    OpenSignal open = JudgeRule.open(p, 0, H1, horizon);
    return JudgeRule.score(p, open, bars, H1);
  }

  @Test
  void theDecisionBarIsTheOneItWasMadeIn() {
    assertThat(JudgeRule.decisionBar(DECIDED, H1)).isEqualTo(Instant.parse("2026-01-05T10:00:00Z"));
    assertThat(JudgeRule.decisionBar(DECIDED, Duration.ofHours(4))).isEqualTo(Instant.parse("2026-01-05T08:00:00Z"));
  }

  @Test
  void aLongReachingItsFirstTargetBeforeItsStopWinsAtTheTarget() {
    Scored s = score(pending("long", plan(95, new JsonArray().add(110).add(120))), 24, List.of(
        bar("11:00", 100, 104, 98, 103),
        bar("12:00", 103, 111, 102, 109))).orElseThrow();
    assertThat(s.outcome()).isEqualTo("win");
    assertThat(s.tradeReturn()).isCloseTo(0.10, within(1e-12));
  }

  @Test
  void aLongReachingItsStopFirstLosesAtTheStop() {
    Scored s = score(pending("long", plan(95, new JsonArray().add(110))), 24, List.of(bar("11:00", 100, 102, 94, 96))).orElseThrow();
    assertThat(s.outcome()).isEqualTo("loss");
    assertThat(s.tradeReturn()).isCloseTo(-0.05, within(1e-12));
  }

  @Test
  void aBarReachingBothCountsAsTheStop() {
    Scored s = score(pending("long", plan(95, new JsonArray().add(110))), 24, List.of(bar("11:00", 100, 111, 94, 100))).orElseThrow();
    assertThat(s.outcome()).isEqualTo("loss");
  }

  @Test
  void withoutARiskPlanTheLastHorizonCloseDecidesForEitherSide() {
    List<Candle> bars = List.of(bar("11:00", 100, 102, 99, 101), bar("12:00", 101, 101, 98, 99), bar("13:00", 99, 100, 97, 98));
    Scored longOne = score(pending("long", null), 3, bars).orElseThrow();
    assertThat(longOne.outcome()).isEqualTo("loss");
    assertThat(longOne.tradeReturn()).isCloseTo(-0.02, within(1e-12));
    Scored shortOne = score(pending("short", null), 3, bars).orElseThrow();
    assertThat(shortOne.outcome()).isEqualTo("win");
    assertThat(shortOne.tradeReturn()).isCloseTo(0.02, within(1e-12));
  }

  @Test
  void levelsOnTheWrongSideOfTheEntryAreIgnored() {
    // a long "stop" above the entry and a "target" below it: neither is a level, the horizon decides
    List<Candle> bars = List.of(bar("11:00", 100, 106, 90, 104));
    Scored s = score(pending("long", plan(105, new JsonArray().add(95))), 1, bars).orElseThrow();
    assertThat(s.outcome()).isEqualTo("win");
    assertThat(s.tradeReturn()).isCloseTo(0.04, within(1e-12));
  }

  @Test
  void targetsAsObjectsOrTextAreRead() {
    List<Candle> bars = List.of(bar("11:00", 100, 108, 99, 107));
    assertThat(score(pending("long", plan("95", new JsonArray().add(new JsonObject().put("price", 107.5)))), 24, bars).orElseThrow().tradeReturn()).isCloseTo(0.075, within(1e-12));
    assertThat(score(pending("long", plan(95, "107")), 24, bars).orElseThrow().tradeReturn()).isCloseTo(0.07, within(1e-12));
  }

  @Test
  void theBarTheDecisionWasMadeInIsNeverUsed() {
    // the 10:00 bar reaches the target, but it was still forming when the model decided
    List<Candle> bars = List.of(bar("10:00", 100, 115, 99, 101), bar("11:00", 101, 102, 94, 95));
    assertThat(score(pending("long", plan(95, new JsonArray().add(110))), 24, bars).orElseThrow().outcome()).isEqualTo("loss");
  }

  @Test
  void notEnoughBarsYetLeavesItOpen() {
    assertThat(score(pending("long", null), 3, List.of(bar("11:00", 100, 102, 99, 101)))).isEmpty();
  }

  @Test
  void onlyOpeningSignalsAreScored() {
    assertThat(JudgeRule.scored(pending("long", null))).isTrue();
    assertThat(JudgeRule.scored(new Pending("d2", "BTC/USDT", "CLOSE_SIGNAL", "long", 100, null, DECIDED))).isFalse();
  }
}
