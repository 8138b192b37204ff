package ai.zmarty.ingest;

import ai.zmarty.market.Candle;
import ai.zmarty.market.CandleQuality;
import ai.zmarty.market.CandleQuality.Flag;
import ai.zmarty.market.Timeframe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What an ingest job does for one pair: the pure core of {@link IngestVerticle}. The worker keeps
 * each pair's {@link PairSeries} and, per job, either <b>appends</b> the bars that closed since
 * its newest bar, or <b>rebuilds</b> the series from the last {@value #HISTORY_BARS} bars of
 * history. The database stays the truth, since a pair's jobs can land on any node: the kept
 * series is only appended to when its newest bar is the newest stored bar, with the same close.
 *
 * <p>Rebuild when ({@link #plan}): nothing is kept (cold start, evicted, or dropped after a failed
 * job); nothing is stored; the newest stored bar is not the kept newest bar (another node ingested
 * the pair, or the rows were removed) or has another close; more bars closed since than one job
 * writes ({@value #BACKFILL_BARS}); or the bars that came do not follow the kept newest bar
 * without a gap ({@link #append} answers null). A job writes the bars newer than the newest stored
 * one, never more than the newest {@value #BACKFILL_BARS}.
 *
 * <p>Why a bar's stored values do not depend on how the series was built: a rebuild steps the
 * indicators through {@value #HISTORY_BARS} bars before the first one it writes at most {@value
 * #BACKFILL_BARS} from the end, so the recursive indicators (EMA, MACD, RSI, ATR, ADX, SuperTrend)
 * have forgotten their seed below double precision (EMA 50, the slowest, keeps (49/51)^880 ≈
 * 5·10⁻¹⁶ of it); the window indicators, the risk metric and the liquidation map read fixed
 * windows of bars; OBV is stored as its 20-bar change; the Parabolic SAR, whose first trend
 * depends on the bar a series started at, has reached the same state (from any start of the
 * shipped BTC and ETH 4h histories within 227 bars: {@code ParabolicSarTest}).
 * {@code IncrementalIngestTest} and the worker test check it on real and simulated bars; what is
 * left is the last binary digits of ta4j's running window sums (≤ 10⁻⁹ relative).
 */
public final class Ingestion {
  /** Bars a rebuild loads and steps through. */
  public static final int HISTORY_BARS = 1_000;
  /** The most bars one job writes: a new pair's backfill, and the most an append may bring. */
  public static final int BACKFILL_BARS = 120;

  /** The newest stored bar of a pair. */
  public record Stored(Instant barTime, double close) {}

  public enum Mode {
    APPEND,
    REBUILD;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What to load: bars opening in [from, until), and whether to append them or rebuild from them. */
  public record Plan(Mode mode, String reason, Instant from, Instant until) {}

  /**
   * Rows to upsert (one indicators row and one risk_metric row per bar), the series that computed
   * them, and the job's quality flags (those stored with the bars and those the source raised).
   */
  public record Result(Mode mode, String reason, PairSeries series, List<IngestedBar> bars, List<Flag> flags) {
    public Result(Mode mode, String reason, PairSeries series, List<IngestedBar> bars) {
      this(mode, reason, series, bars, bars.stream().flatMap(b -> b.quality().stream()).toList());
    }

    public boolean isEmpty() {
      return bars.isEmpty();
    }

    public long warmBars() {
      return bars.stream().filter(b -> b.indicators().warm()).count();
    }

    public List<IndicatorBar> indicators() {
      return bars.stream().map(IngestedBar::indicators).toList();
    }

    public List<RiskMetric> risks() {
      return bars.stream().map(IngestedBar::risk).toList();
    }
  }

  private Ingestion() {}

  /**
   * @param kept this node's series of the pair, or null
   * @param stored the newest stored bar of the pair, or null
   * @param until the end (exclusive) of the closed bars: the open time of the bar still forming
   */
  public static Plan plan(PairSeries kept, Stored stored, Instant until, Timeframe tf) {
    Instant historyFrom = until.minus(tf.duration().multipliedBy(HISTORY_BARS));
    if (kept == null || kept.lastOpen() == null) {
      return new Plan(Mode.REBUILD, "cold: no series kept on this node", historyFrom, until);
    }
    if (stored == null) {
      return new Plan(Mode.REBUILD, "nothing stored for the pair", historyFrom, until);
    }
    if (!stored.barTime().equals(kept.lastOpen())) {
      return new Plan(Mode.REBUILD, "the newest stored bar " + stored.barTime() + " is not the kept newest " + kept.lastOpen(), historyFrom, until);
    }
    // numeric keeps 15 significant digits of a float8: equal up to that is the same bar
    if (!(Math.abs(stored.close() - kept.last().close()) <= 1e-12 * Math.abs(kept.last().close()))) {
      return new Plan(Mode.REBUILD, "the stored close " + stored.close() + " of " + stored.barTime() + " is not the kept " + kept.last().close(), historyFrom, until);
    }
    Instant next = kept.lastOpen().plus(tf.duration());
    long due = next.isBefore(until) ? Duration.between(next, until).dividedBy(tf.duration()) : 0;
    if (due > BACKFILL_BARS) {
      return new Plan(Mode.REBUILD, due + " bars closed since the kept newest, more than one job writes", historyFrom, until);
    }
    return new Plan(Mode.APPEND, null, next, until);
  }

  /**
   * Appends {@code fresh} (the bars after the kept newest, oldest first) and derives their rows;
   * null, with the series untouched, when they do not follow it bar after bar (a gap: rebuild).
   */
  public static Result append(PairSeries kept, List<Candle> fresh) {
    Duration step = kept.timeframe().duration();
    Instant expected = kept.lastOpen().plus(step);
    for (Candle c : fresh) {
      if (!c.openTime().equals(expected)) {
        return null;
      }
      expected = expected.plus(step);
    }
    List<IngestedBar> bars = new ArrayList<>(fresh.size());
    for (Candle c : fresh) {
      bars.add(kept.append(c));
    }
    return new Result(Mode.APPEND, null, kept, bars);
  }

  /** Why {@link #append} refused the bars after {@code lastOpen}. */
  public static String gap(Instant lastOpen) {
    return "gap: the new bars do not follow the kept newest " + lastOpen + " bar after bar";
  }

  /**
   * A new series stepped through {@code history} (oldest first); the rows of the bars newer than
   * {@code lastStored}, at most the newest {@value #BACKFILL_BARS}.
   */
  public static Result rebuild(List<Candle> history, Timeframe tf, Instant lastStored, String reason) {
    PairSeries series = new PairSeries(tf);
    int from = firstIndexToCompute(history, lastStored);
    List<IngestedBar> bars = new ArrayList<>(history.size() - from);
    for (int i = 0; i < history.size(); i++) {
      if (i < from) {
        series.feed(history.get(i));
      } else {
        bars.add(series.append(history.get(i)));
      }
    }
    return new Result(Mode.REBUILD, reason, series, bars);
  }

  /**
   * Adds the job-level flags to {@code result} ({@link Quality}): {@code stale} on the newest bar
   * written when the series' newest bar is not the last that should have closed before {@code
   * until} (with a grace for the newest after its close, judged at {@code now}); each {@code out_of_range} bar the source dropped on the written bar that bridged the
   * hole it left (the bar whose {@code missing} flag covers it).
   * The result's flags list every flag raised, also those not on a written bar.
   */
  public static Result withQuality(Result result, List<Flag> reported, Instant until, Instant now) {
    Duration step = result.series().timeframe().duration();
    List<IngestedBar> bars = new ArrayList<>(result.bars());
    List<Flag> flags = new ArrayList<>(result.flags());
    for (Flag f : reported) {
      if (f.kind() != CandleQuality.Kind.OUT_OF_RANGE) {
        continue; // missing and stale are judged here, on the bars the series holds
      }
      flags.add(f);
      // a dropped bar leaves a hole: the written bar whose missing flag covers it bridged it
      for (int i = 0; i < bars.size(); i++) {
        IngestedBar b = bars.get(i);
        boolean bridged = b.quality().stream().anyMatch(m -> m.kind() == CandleQuality.Kind.MISSING && !f.at().isBefore(m.at()) && f.at().isBefore(b.barTime()));
        if (bridged) {
          bars.set(i, b.withFlag(f));
        }
      }
    }
    Flag stale = Quality.stale(result.series().lastOpen(), until, now, step);
    if (stale != null) {
      flags.add(stale);
      if (!bars.isEmpty()) {
        bars.set(bars.size() - 1, bars.getLast().withFlag(stale));
      }
    }
    return new Result(result.mode(), result.reason(), result.series(), List.copyOf(bars), List.copyOf(flags));
  }

  /** The first index to compute: bars newer than {@code lastStored}, never more than the newest {@value #BACKFILL_BARS}. */
  static int firstIndexToCompute(List<Candle> candles, Instant lastStored) {
    int from = Math.max(0, candles.size() - BACKFILL_BARS);
    if (lastStored == null) {
      return from;
    }
    while (from < candles.size() && !candles.get(from).openTime().isAfter(lastStored)) {
      from++;
    }
    return from;
  }
}
