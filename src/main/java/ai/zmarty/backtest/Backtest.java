package ai.zmarty.backtest;

import ai.zmarty.ingest.Ingestion;
import ai.zmarty.ingest.PairSeries;
import ai.zmarty.market.Candle;
import ai.zmarty.market.Timeframe;
import ai.zmarty.signal.BarInputs;
import ai.zmarty.signal.Decision;
import ai.zmarty.signal.Direction;
import ai.zmarty.signal.Strategy;
import ai.zmarty.winrate.Performance;
import ai.zmarty.winrate.Resolution;
import ai.zmarty.winrate.Resolution.OpenSignal;
import ai.zmarty.winrate.Resolution.Resolved;
import ai.zmarty.winrate.Resolution.Side;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Replays a candle history through the worker's own code: each bar is appended to a {@link
 * PairSeries} (indicators, volatility, liquidation proximity: bar t's inputs use bars ≤ t only, as
 * ingest stores them), decided by the strategy, and every long
 * or short becomes a trade resolved by {@link Resolution} on the bars after it, with its return
 * from {@link Performance#tradeReturn}. Next to it: a random-direction baseline on the same signal
 * bars with the same holding rule, and buy-and-hold over the period. Pure: no I/O, no Vert.x.
 *
 * <p>Rules (docs/backtest.md): entry at the signal bar's close, as the worker's signals do; only
 * bars inside the period resolve a trade (one that needs later bars, or meets a gap, stays
 * unresolved); by default every signal is its own trade and trades overlap, as the worker's win
 * rates count them; {@code onePosition} instead skips signals while a trade is open.
 */
public final class Backtest {
  /**
   * Bars before {@code from} fed to the indicators first: as many as the ingest worker steps
   * through when it rebuilds a pair, so a period's bars get the values the worker stores for them.
   */
  public static final int WARMUP_BARS = Ingestion.HISTORY_BARS;

  /** What to do with one bar's inputs: the worker's strategy, or a crafted one in tests. */
  @FunctionalInterface
  public interface Decider {
    Decision decide(BarInputs bar);
  }

  /** The worker's strategy, called exactly as SignalVerticle calls it. */
  public static final Decider STRATEGY = Strategy::decide;

  /** Told after each bar of the period: bars done so far and the period's bar count. */
  @FunctionalInterface
  public interface Progress {
    void bars(int done, int total);

    Progress NONE = (done, total) -> {};
  }

  /** The period is the bars opening in {@code [from, to)}. */
  public record Settings(Timeframe timeframe, Instant from, Instant to, long seed, boolean onePosition) {}

  /** Win rate and performance of one list of trades (resolved ones only). */
  public record Stats(int trades, int pending, int wins, Double winRate, Double wilsonLow, Double wilsonHigh, Performance performance, double finalEquity) {
    static Stats of(List<Trade> all) {
      List<Trade> done = byExit(all);
      List<Double> returns = done.stream().map(Trade::tradeReturn).toList();
      int wins = (int) done.stream().filter(t -> t.resolved().outcome() == Resolution.Outcome.WIN).count();
      int n = done.size();
      double equity = 1;
      for (double r : returns) {
        equity *= 1 + r;
      }
      if (n == 0) {
        return new Stats(0, all.size(), 0, null, null, null, Performance.of(returns), equity);
      }
      ai.zmarty.winrate.Wilson w = ai.zmarty.winrate.Wilson.of(wins, n);
      return new Stats(n, all.size() - n, wins, (double) wins / n, w.low(), w.high(), Performance.of(returns), equity);
    }
  }

  /** Buy at the period's first open, sell at its last close; drawdown on the closes. */
  public record BuyAndHold(Instant from, Instant to, double entry, double exit, double tradeReturn, double maxDrawdown) {}

  /** A point of an equity curve: equity (1 = start) after what happened by {@code time}. */
  public record Point(Instant time, double equity) {}

  public record Result(
      Settings settings,
      int bars,
      int longs,
      int shorts,
      int flats,
      List<Trade> trades,
      List<Trade> randomTrades,
      Stats strategy,
      Stats random,
      BuyAndHold buyAndHold,
      List<Point> strategyEquity,
      List<Point> buyAndHoldEquity) {}

  private Backtest() {}

  public static Result run(List<Candle> candles, Settings settings, Decider decider, Progress progress) {
    int start = Candle.firstAtOrAfter(candles, settings.from());
    int end = Candle.firstAtOrAfter(candles, settings.to());
    if (start >= end) {
      throw new IllegalArgumentException("no bars between " + settings.from() + " and " + settings.to());
    }
    Timeframe tf = settings.timeframe();
    PairSeries series = new PairSeries(tf);
    for (int i = Math.max(0, start - WARMUP_BARS); i < start; i++) {
      series.feed(candles.get(i));
    }
    List<Candle> period = candles.subList(start, end);
    int total = period.size();
    int longs = 0;
    int shorts = 0;
    int flats = 0;
    List<Trade> signals = new ArrayList<>();
    Random random = new Random(settings.seed());
    List<Trade> randomSignals = new ArrayList<>();
    for (int t = 0; t < total; t++) {
      Candle c = period.get(t);
      Decision d = decider.decide(BarInputs.of(series.append(c)));
      switch (d.direction()) {
        case LONG -> longs++;
        case SHORT -> shorts++;
        case FLAT -> flats++;
      }
      if (d.direction() != Direction.FLAT) {
        List<Candle> after = period.subList(t + 1, Math.min(total, t + 1 + d.horizonBars()));
        double risk = Math.abs(d.entry() - d.stop());
        signals.add(trade(c, d.direction(), d.entry(), d.stop(), d.targets().get(0), d.horizonBars(), after, tf));
        // The baseline draws a direction for every signal bar, so its draws do not depend on filtering.
        Direction coin = random.nextBoolean() ? Direction.LONG : Direction.SHORT;
        double side = coin == Direction.LONG ? 1 : -1;
        randomSignals.add(trade(c, coin, d.entry(), d.entry() - side * risk, d.entry() + side * risk, d.horizonBars(), after, tf));
      }
      progress.bars(t + 1, total);
    }
    List<Trade> trades = settings.onePosition() ? onePosition(signals, tf) : signals;
    List<Trade> randomTrades = settings.onePosition() ? onePosition(randomSignals, tf) : randomSignals;
    Stats strategy = Stats.of(trades);
    BuyAndHold hold = buyAndHold(period, tf);
    return new Result(settings, total, longs, shorts, flats, trades, randomTrades, strategy, Stats.of(randomTrades), hold, equity(trades, period.get(0).openTime()), holdEquity(period, tf));
  }

  private static Trade trade(Candle bar, Direction direction, double entry, double stop, double target, int horizon, List<Candle> after, Timeframe tf) {
    Side side = direction == Direction.LONG ? Side.LONG : Side.SHORT;
    OpenSignal open = new OpenSignal(0, bar.openTime(), side, entry, stop, target, horizon);
    Optional<Resolved> r = Resolution.resolve(open, after, tf.duration());
    return new Trade(bar.openTime(), direction, entry, stop, target, horizon, r.orElse(null), r.map(x -> Performance.tradeReturn(direction.wire(), entry, x.exitPrice())).orElse(null));
  }

  /** Keeps a signal only when no earlier kept trade is still open at its entry (its bar's close). */
  static List<Trade> onePosition(List<Trade> signals, Timeframe tf) {
    List<Trade> kept = new ArrayList<>();
    Instant busyUntil = Instant.MIN;
    for (Trade s : signals) {
      Instant enters = tf.closeOf(s.barTime());
      if (enters.isBefore(busyUntil)) {
        continue;
      }
      kept.add(s);
      busyUntil = s.isResolved() ? s.resolved().decidedAt() : Instant.MAX;
    }
    return kept;
  }

  /** Resolved trades in the order they closed (ties by entry): the realised equity's order. */
  static List<Trade> byExit(List<Trade> trades) {
    return trades.stream().filter(Trade::isResolved).sorted(Comparator.comparing((Trade t) -> t.resolved().decidedAt()).thenComparing(Trade::barTime)).toList();
  }

  private static List<Point> equity(List<Trade> trades, Instant start) {
    List<Point> points = new ArrayList<>();
    double equity = 1;
    points.add(new Point(start, equity));
    for (Trade t : byExit(trades)) {
      equity *= 1 + t.tradeReturn();
      points.add(new Point(t.resolved().decidedAt(), equity));
    }
    return points;
  }

  private static BuyAndHold buyAndHold(List<Candle> period, Timeframe tf) {
    double entry = period.get(0).open();
    double peak = entry;
    double maxDrawdown = 0;
    for (Candle c : period) {
      peak = Math.max(peak, c.close());
      maxDrawdown = Math.max(maxDrawdown, (peak - c.close()) / peak);
    }
    Candle last = period.get(period.size() - 1);
    return new BuyAndHold(period.get(0).openTime(), tf.closeOf(last.openTime()), entry, last.close(), Performance.tradeReturn("long", entry, last.close()), maxDrawdown);
  }

  private static List<Point> holdEquity(List<Candle> period, Timeframe tf) {
    double entry = period.get(0).open();
    List<Point> points = new ArrayList<>(period.size() + 1);
    points.add(new Point(period.get(0).openTime(), 1));
    for (Candle c : period) {
      points.add(new Point(tf.closeOf(c.openTime()), c.close() / entry));
    }
    return points;
  }

}
