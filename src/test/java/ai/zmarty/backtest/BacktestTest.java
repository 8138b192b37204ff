package ai.zmarty.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.backtest.Backtest.Result;
import ai.zmarty.backtest.Backtest.Settings;
import ai.zmarty.market.Candle;
import ai.zmarty.market.Timeframe;
import ai.zmarty.signal.Decision;
import ai.zmarty.signal.Direction;
import ai.zmarty.winrate.Resolution.ExitReason;
import ai.zmarty.winrate.Resolution.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacktestTest {
  private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");
  private static final Duration H4 = Duration.ofHours(4);

  /** Each bar one point above the last: open p, close p+1, high p+1.5, low p−0.5 (true range 2). */
  static List<Candle> uptrend(int n) {
    List<Candle> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double p = 1_000 + i;
      out.add(new Candle(T0.plus(H4.multipliedBy(i)), p, p + 1.5, p - 0.5, p + 1, 10));
    }
    return out;
  }

  static List<Candle> downtrend(int n) {
    List<Candle> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double p = 5_000 - i;
      out.add(new Candle(T0.plus(H4.multipliedBy(i)), p, p + 0.5, p - 1.5, p - 1, 10));
    }
    return out;
  }

  static Settings all(long seed, boolean onePosition) {
    return new Settings(Timeframe.H4, Instant.MIN, Instant.MAX, seed, onePosition);
  }

  @Test
  void steadyUptrendGivesLongSignalsThatAllReachTheirTarget() {
    Result r = Backtest.run(uptrend(600), all(7, false), Backtest.STRATEGY, Backtest.Progress.NONE);

    assertThat(r.bars()).isEqualTo(600);
    assertThat(r.shorts()).isZero();
    assertThat(r.longs()).isGreaterThan(500);
    assertThat(r.longs() + r.flats()).isEqualTo(600);
    assertThat(r.strategy().trades()).isEqualTo(r.longs() - r.strategy().pending());
    // the last horizon's signals have no bars left in the period to settle them
    assertThat(r.strategy().pending()).isBetween(1, 12);
    assertThat(r.trades()).filteredOn(Trade::isResolved).allSatisfy(t -> {
      assertThat(t.resolved().outcome()).isEqualTo(Outcome.WIN);
      assertThat(t.resolved().reason()).isEqualTo(ExitReason.TARGET);
      // stop 1.5 × ATR(=2) away, first target 1R: exit = entry + 3, reached on the third bar
      assertThat(t.resolved().exitPrice()).isCloseTo(t.entry() + 3, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(t.tradeReturn()).isCloseTo(3 / t.entry(), org.assertj.core.data.Offset.offset(1e-9));
      assertThat(t.resolved().decidedAt()).isEqualTo(t.barTime().plus(H4.multipliedBy(4)));
    });
    assertThat(r.strategy().winRate()).isEqualTo(1.0);
    assertThat(r.strategy().wilsonHigh()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(r.strategy().wilsonLow()).isGreaterThan(0.99);
    assertThat(r.strategy().performance().maxDrawdown()).isZero();
    assertThat(r.strategy().performance().profitFactor()).isNull(); // no losses
    assertThat(r.buyAndHold().tradeReturn()).isCloseTo(600.0 / 1_000, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(r.buyAndHold().maxDrawdown()).isZero();
  }

  @Test
  void steadyDowntrendGivesShortSignalsThatWinAndBuyAndHoldLoses() {
    Result r = Backtest.run(downtrend(600), all(7, false), Backtest.STRATEGY, Backtest.Progress.NONE);

    assertThat(r.longs()).isZero();
    assertThat(r.shorts()).isGreaterThan(500);
    assertThat(r.trades()).filteredOn(Trade::isResolved).isNotEmpty().allSatisfy(t -> {
      assertThat(t.direction()).isEqualTo(Direction.SHORT);
      assertThat(t.resolved().outcome()).isEqualTo(Outcome.WIN);
    });
    assertThat(r.buyAndHold().tradeReturn()).isNegative();
    assertThat(r.buyAndHold().maxDrawdown()).isCloseTo(600.0 / 5_000, org.assertj.core.data.Offset.offset(1e-3));
  }

  @Test
  void randomBaselineUsesTheSignalBarsAndTheSameRule() {
    Result r = Backtest.run(uptrend(600), all(42, false), Backtest.STRATEGY, Backtest.Progress.NONE);

    assertThat(r.randomTrades()).extracting(Trade::barTime).containsExactlyElementsOf(r.trades().stream().map(Trade::barTime).toList());
    assertThat(r.randomTrades()).extracting(Trade::horizonBars).containsOnly(12);
    assertThat(r.randomTrades()).extracting(Trade::direction).contains(Direction.LONG, Direction.SHORT);
    // in a steady uptrend a random long reaches its target and a random short its stop
    assertThat(r.randomTrades()).filteredOn(Trade::isResolved).allSatisfy(t ->
        assertThat(t.resolved().outcome()).isEqualTo(t.direction() == Direction.LONG ? Outcome.WIN : Outcome.LOSS));
    assertThat(r.random().winRate()).isBetween(0.3, 0.7);
  }

  @Test
  void randomBaselineIsDeterministicForASeed() {
    List<Candle> candles = uptrend(400);
    Result a = Backtest.run(candles, all(7, false), Backtest.STRATEGY, Backtest.Progress.NONE);
    Result b = Backtest.run(candles, all(7, false), Backtest.STRATEGY, Backtest.Progress.NONE);
    Result c = Backtest.run(candles, all(8, false), Backtest.STRATEGY, Backtest.Progress.NONE);

    assertThat(b.randomTrades()).isEqualTo(a.randomTrades());
    assertThat(b.random()).isEqualTo(a.random());
    assertThat(c.randomTrades().stream().map(Trade::direction).toList()).isNotEqualTo(a.randomTrades().stream().map(Trade::direction).toList());
  }

  /** A long on every bar, stop and target 3 away, horizon 12: the hand-checkable crafted strategy. */
  private static final Backtest.Decider ALWAYS_LONG = bar -> new Decision(Direction.LONG, 1, bar.close(), bar.close() - 3, List.of(bar.close() + 3, bar.close() + 6), List.of(), 12);

  @Test
  void onePositionSkipsSignalsWhileATradeIsOpen() {
    Result every = Backtest.run(uptrend(100), all(7, false), ALWAYS_LONG, Backtest.Progress.NONE);
    Result one = Backtest.run(uptrend(100), all(7, true), ALWAYS_LONG, Backtest.Progress.NONE);

    assertThat(every.trades()).hasSize(100);
    // entry at bar i's close, exit at bar i+3's close: the next trade enters at bar i+3's close
    assertThat(one.trades()).extracting(Trade::barTime).startsWith(T0, T0.plus(H4.multipliedBy(3)), T0.plus(H4.multipliedBy(6)));
    assertThat(one.trades()).hasSize(34);
    assertThat(one.strategy().trades()).isEqualTo(33); // the last one has too few bars left
  }

  @Test
  void thePeriodIsFromInclusiveToExclusiveAndItsFirstBarIsWarm() {
    List<Candle> candles = uptrend(800);
    Instant from = T0.plus(H4.multipliedBy(500));
    Instant to = T0.plus(H4.multipliedBy(700));
    List<Boolean> warm = new ArrayList<>();
    Result r = Backtest.run(candles, new Settings(Timeframe.H4, from, to, 7, false), bar -> {
      warm.add(bar.warm());
      return ALWAYS_LONG.decide(bar);
    }, Backtest.Progress.NONE);

    assertThat(r.bars()).isEqualTo(200);
    assertThat(r.trades().get(0).barTime()).isEqualTo(from);
    assertThat(warm).hasSize(200).containsOnly(true);
    assertThat(r.buyAndHold().entry()).isEqualTo(candles.get(500).open());
    assertThat(r.buyAndHold().exit()).isEqualTo(candles.get(699).close());
    // trades near the end would need bars after the period: they stay unresolved
    assertThat(r.trades().get(199).isResolved()).isFalse();
  }

  @Test
  void progressIsToldOfEveryBar() {
    List<int[]> calls = new ArrayList<>();
    Backtest.run(uptrend(50), all(7, false), ALWAYS_LONG, (done, total) -> calls.add(new int[] {done, total}));
    assertThat(calls).hasSize(50);
    assertThat(calls.get(49)).containsExactly(50, 50);
  }

  @Test
  void anEmptyPeriodIsAnError() {
    assertThatThrownBy(() -> Backtest.run(uptrend(50), new Settings(Timeframe.H4, Instant.parse("2030-01-01T00:00:00Z"), Instant.MAX, 7, false), ALWAYS_LONG, Backtest.Progress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no bars");
  }
}
