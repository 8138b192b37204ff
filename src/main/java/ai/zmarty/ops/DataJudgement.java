package ai.zmarty.ops;

import ai.zmarty.market.Timeframe;
import ai.zmarty.ops.SystemHealth.Check;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The verdicts of the data checks (freshness, integrity) on rows already read: no I/O. */
public final class DataJudgement {
  /** Pairs named in a message at most; the details list them all. */
  static final int NAMED = 5;

  private DataJudgement() {}

  /** An active pair and the open time of its newest stored indicator bar (empty: none yet). */
  public record Newest(String symbol, String timeframe, Optional<Instant> barTime) {}

  /** A pair's long/short signals as counted again, against its stored 'all' win rate sample size. */
  public record PairCounts(String symbol, String timeframe, long signals, long resolved, Optional<Instant> oldest, int horizonBars, Optional<Long> sampleSize) {}

  /**
   * A pair's age is the number of bars since its newest stored bar closed; healthy up to {@code
   * warnBars}, warning up to {@code criticalBars}, critical beyond (and a pair with no bar at all).
   */
  public static Check freshness(List<Newest> pairs, Instant now, double warnBars, double criticalBars, long ms) {
    if (pairs.isEmpty()) {
      return new Check("freshness", Status.HEALTHY, "no active pairs", new JsonObject().put("pairs", 0), ms);
    }
    record Aged(Newest pair, double bars, Status status) {}
    List<Aged> aged = new ArrayList<>();
    for (Newest p : pairs) {
      double bars = p.barTime().map(t -> age(t, p.timeframe(), now)).orElse(Double.POSITIVE_INFINITY);
      Status s = bars <= warnBars ? Status.HEALTHY : bars <= criticalBars ? Status.WARNING : Status.CRITICAL;
      aged.add(new Aged(p, bars, s));
    }
    aged.sort(Comparator.comparingDouble(Aged::bars).reversed());
    Status worst = aged.stream().map(Aged::status).reduce(Status.HEALTHY, Status::worst);
    JsonArray stalest = new JsonArray();
    for (Aged a : aged) {
      stalest.add(new JsonObject().put("symbol", a.pair().symbol()).put("timeframe", a.pair().timeframe())
          .put("newest_bar", a.pair().barTime().map(Instant::toString).orElse(null))
          .put("age_bars", Double.isInfinite(a.bars()) ? null : round(a.bars())).put("status", a.status().wire()));
    }
    JsonObject details = new JsonObject().put("pairs", pairs.size()).put("warn_bars", warnBars).put("critical_bars", criticalBars).put("stalest", stalest);
    List<String> late = aged.stream().filter(a -> a.status() != Status.HEALTHY).limit(NAMED).map(a -> name(a.pair().symbol(), a.pair().timeframe()) + " " + describe(a.bars())).toList();
    long behind = aged.stream().filter(a -> a.status() != Status.HEALTHY).count();
    String message = worst == Status.HEALTHY
        ? pairs.size() + " active pair(s) current; stalest " + name(aged.get(0).pair().symbol(), aged.get(0).pair().timeframe()) + " " + describe(aged.get(0).bars())
        : behind + " of " + pairs.size() + " pair(s) behind: " + String.join(", ", late);
    return new Check("freshness", worst, message, details, ms);
  }

  /**
   * Critical when a stored sample size differs from the resolved signals counted again; warning
   * when a pair with at least {@code minSignals} signals has no win rate although its oldest
   * signal's horizon has passed.
   */
  public static Check integrity(List<PairCounts> pairs, Instant now, int minSignals, long ms) {
    List<String> mismatched = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    JsonArray problems = new JsonArray();
    long signals = 0;
    long resolved = 0;
    for (PairCounts p : pairs) {
      signals += p.signals();
      resolved += p.resolved();
      String name = name(p.symbol(), p.timeframe());
      if (p.sampleSize().isPresent() && p.sampleSize().get() != p.resolved()) {
        mismatched.add(name + " (win_rate " + p.sampleSize().get() + ", resolved " + p.resolved() + ")");
        problems.add(new JsonObject().put("symbol", p.symbol()).put("timeframe", p.timeframe()).put("problem", "sample_size_mismatch").put("sample_size", p.sampleSize().get()).put("resolved", p.resolved()));
      } else if (p.sampleSize().isEmpty() && p.signals() >= minSignals && p.oldest().isPresent() && horizonPassed(p, now)) {
        missing.add(name + " (" + p.signals() + " signals)");
        problems.add(new JsonObject().put("symbol", p.symbol()).put("timeframe", p.timeframe()).put("problem", "no_win_rate").put("signals", p.signals()).put("oldest", p.oldest().get().toString()));
      }
    }
    JsonObject details = new JsonObject().put("pairs", pairs.size()).put("signals", signals).put("resolved", resolved).put("min_signals", minSignals).put("problems", problems);
    if (!mismatched.isEmpty()) {
      return new Check("integrity", Status.CRITICAL, "win_rate disagrees with the signals for " + join(mismatched), details, ms);
    }
    if (!missing.isEmpty()) {
      return new Check("integrity", Status.WARNING, "no win rate past the horizon for " + join(missing), details, ms);
    }
    return new Check("integrity", Status.HEALTHY, pairs.size() + " pair(s): " + resolved + " of " + signals + " signal(s) resolved, win rates agree", details, ms);
  }

  private static boolean horizonPassed(PairCounts p, Instant now) {
    Duration bar = barOf(p.timeframe());
    return bar != null && p.oldest().get().plus(bar.multipliedBy(p.horizonBars() + 1L)).isBefore(now);
  }

  static double age(Instant barOpen, String timeframe, Instant now) {
    Duration bar = barOf(timeframe);
    if (bar == null) {
      return Double.POSITIVE_INFINITY;
    }
    double bars = (double) Duration.between(barOpen.plus(bar), now).toMillis() / bar.toMillis();
    return Math.max(0, bars);
  }

  private static Duration barOf(String timeframe) {
    try {
      return Timeframe.parse(timeframe).duration();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String join(List<String> names) {
    return String.join(", ", names.subList(0, Math.min(NAMED, names.size()))) + (names.size() > NAMED ? " and " + (names.size() - NAMED) + " more" : "");
  }

  private static String describe(double bars) {
    return Double.isInfinite(bars) ? "(no bars)" : "(" + round(bars) + " bars old)";
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static String name(String symbol, String timeframe) {
    return symbol + " " + timeframe;
  }
}
