package ai.zmarty.winrate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.market.Candle;
import ai.zmarty.winrate.Resolution.ExitReason;
import ai.zmarty.winrate.Resolution.OpenSignal;
import ai.zmarty.winrate.Resolution.Outcome;
import ai.zmarty.winrate.Resolution.Resolved;
import ai.zmarty.winrate.Resolution.Side;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A long at 100 with its stop at 97 and first target at 103 (a short mirrors it: stop 103, target 97). */
class ResolutionTest {
  private static final Duration H = Duration.ofHours(1);
  private static final Instant SIGNAL_BAR = Instant.parse("2026-01-10T00:00:00Z");

  /** Bars after the signal bar, each given as {high, low, close}; opens at the previous close. */
  private static List<Candle> path(double[]... hlc) {
    List<Candle> out = new ArrayList<>();
    double open = 100;
    for (int i = 0; i < hlc.length; i++) {
      out.add(new Candle(SIGNAL_BAR.plus(H.multipliedBy(i + 1)), open, hlc[i][0], hlc[i][1], hlc[i][2], 1));
      open = hlc[i][2];
    }
    return out;
  }

  private static double[] bar(double high, double low, double close) {
    return new double[] {high, low, close};
  }

  private static Optional<Resolved> longOn(int horizon, List<Candle> after) {
    return Resolution.resolve(Side.LONG, 100, 97.0, 103, horizon, after, H);
  }

  private static Optional<Resolved> shortOn(int horizon, List<Candle> after) {
    return Resolution.resolve(Side.SHORT, 100, 103.0, 97, horizon, after, H);
  }

  @Test
  void targetReachedBeforeTheStopIsAWin() {
    Resolved r = longOn(12, path(bar(101, 99, 100.5), bar(103.2, 100, 102), bar(102, 96, 96.5))).orElseThrow();
    assertThat(r.outcome()).isEqualTo(Outcome.WIN);
    assertThat(r.reason()).isEqualTo(ExitReason.TARGET);
    assertThat(r.exitPrice()).isEqualTo(103.0);
    assertThat(r.decidedAt()).isEqualTo(SIGNAL_BAR.plus(H.multipliedBy(3))); // the close of the second bar after
  }

  @Test
  void stopReachedBeforeTheTargetIsALoss() {
    Resolved r = longOn(12, path(bar(101, 96.9, 98), bar(104, 98, 103.5))).orElseThrow();
    assertThat(r.outcome()).isEqualTo(Outcome.LOSS);
    assertThat(r.reason()).isEqualTo(ExitReason.STOP);
    assertThat(r.exitPrice()).isEqualTo(97.0);
  }

  @Test
  void stopAndTargetInTheSameBarCountAsALoss() {
    assertThat(longOn(12, path(bar(100.5, 99.5, 100), bar(104, 96, 101))).orElseThrow()).extracting(Resolved::outcome, Resolved::reason).containsExactly(Outcome.LOSS, ExitReason.STOP);
    assertThat(shortOn(12, path(bar(104, 96, 99))).orElseThrow().outcome()).isEqualTo(Outcome.LOSS);
  }

  @Test
  void neitherLevelWithinTheHorizonIsDecidedByTheLastClose() {
    Resolved up = longOn(3, path(bar(101, 99, 100.2), bar(101.5, 99.5, 101), bar(102, 100, 101.7), bar(110, 100, 109))).orElseThrow();
    assertThat(up).extracting(Resolved::outcome, Resolved::reason, Resolved::exitPrice).containsExactly(Outcome.WIN, ExitReason.HORIZON, 101.7);
    assertThat(up.decidedAt()).isEqualTo(SIGNAL_BAR.plus(H.multipliedBy(4)));

    Resolved down = longOn(3, path(bar(101, 99, 100.2), bar(100.5, 98, 99), bar(100, 98.5, 99.4))).orElseThrow();
    assertThat(down).extracting(Resolved::outcome, Resolved::reason).containsExactly(Outcome.LOSS, ExitReason.HORIZON);

    Resolved unchanged = longOn(2, path(bar(101, 99, 100.5), bar(101, 99, 100))).orElseThrow();
    assertThat(unchanged.outcome()).isEqualTo(Outcome.LOSS); // a long wins only above its entry
  }

  @Test
  void aShortWinsBelowItsEntry() {
    assertThat(shortOn(12, path(bar(101, 99, 99.5), bar(100, 96.8, 97.5))).orElseThrow()).extracting(Resolved::outcome, Resolved::reason).containsExactly(Outcome.WIN, ExitReason.TARGET);
    assertThat(shortOn(12, path(bar(103.5, 99, 102))).orElseThrow()).extracting(Resolved::outcome, Resolved::reason).containsExactly(Outcome.LOSS, ExitReason.STOP);
    assertThat(shortOn(2, path(bar(101, 99, 99.5), bar(100, 98, 98.8))).orElseThrow()).extracting(Resolved::outcome, Resolved::reason).containsExactly(Outcome.WIN, ExitReason.HORIZON);
  }

  @Test
  void levelsReachedAfterTheHorizonDoNotCount() {
    Resolved r = longOn(2, path(bar(101, 99, 99.5), bar(100, 98, 99), bar(120, 99, 119))).orElseThrow();
    assertThat(r).extracting(Resolved::outcome, Resolved::reason).containsExactly(Outcome.LOSS, ExitReason.HORIZON);
  }

  @Test
  void anOpenSignalWithoutEnoughBarsStaysOpen() {
    assertThat(longOn(12, path(bar(101, 99, 100.5), bar(102, 99, 101)))).isEmpty();
    assertThat(longOn(12, path(bar(103, 99, 102)))).isPresent(); // unless a level was already reached
  }

  @Test
  void aSignalIsResolvedOnTheBarsAfterItsOwnBar() {
    List<Candle> bars = new ArrayList<>();
    bars.add(new Candle(SIGNAL_BAR, 98, 120, 90, 100, 1)); // the signal bar itself: its range must not count
    bars.addAll(path(bar(101, 99, 100.5), bar(103.1, 100, 103)));
    OpenSignal signal = new OpenSignal(1, SIGNAL_BAR, Side.LONG, 100, 97.0, 103, 12);
    assertThat(Resolution.resolve(signal, bars, H).orElseThrow()).extracting(Resolved::outcome, Resolved::reason).containsExactly(Outcome.WIN, ExitReason.TARGET);
    assertThat(signal.horizonEnd(H)).isEqualTo(SIGNAL_BAR.plus(H.multipliedBy(13)));
    // a hole right after the signal bar: the path is unknown
    assertThat(Resolution.resolve(signal, bars.subList(2, 3), H)).isEmpty();
  }

  @Test
  void onlySignalsWhoseHorizonHasClosedAreDueAndTheWindowCoversThem() {
    Instant now = SIGNAL_BAR.plus(H.multipliedBy(20));
    OpenSignal old = new OpenSignal(1, SIGNAL_BAR, Side.LONG, 100, 97.0, 103, 12); // horizon closes at +13 h
    OpenSignal later = new OpenSignal(2, SIGNAL_BAR.plus(H.multipliedBy(7)), Side.SHORT, 100, 103.0, 97, 12); // +20 h: just due
    OpenSignal fresh = new OpenSignal(3, SIGNAL_BAR.plus(H.multipliedBy(8)), Side.LONG, 100, 97.0, 103, 12); // +21 h: not yet
    Resolution.Batch batch = Resolution.plan(List.of(fresh, later, old), H, now, 1000).orElseThrow();
    assertThat(batch.due()).containsExactly(old, later);
    assertThat(batch.from()).isEqualTo(SIGNAL_BAR.plus(H));
    assertThat(batch.to()).isEqualTo(now);
    assertThat(Resolution.plan(List.of(fresh), H, now, 1000)).isEmpty();
    // a window capped at 15 bars only takes the signals it settles
    assertThat(Resolution.plan(List.of(old, later), H, now, 15).orElseThrow().due()).containsExactly(old);
  }
}
