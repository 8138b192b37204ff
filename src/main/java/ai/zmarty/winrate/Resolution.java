package ai.zmarty.winrate;

import ai.zmarty.market.Candle;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How a long or short signal ended, judged on the bars after its signal bar (entry at that bar's
 * close): a win when the first target is reached before the stop within the horizon, a loss when
 * the stop is reached first. A bar that reaches both counts as a loss, because one bar does not
 * tell which came first and the conservative reading is the honest one. With neither reached, the
 * close of the last horizon bar decides: a long wins only above the entry, a short only below.
 */
public final class Resolution {
  private Resolution() {}

  public enum Side {
    LONG,
    SHORT
  }

  public enum Outcome {
    WIN,
    LOSS
  }

  public enum ExitReason {
    TARGET,
    STOP,
    HORIZON
  }

  /** A long or short signal not resolved yet: what {@link #resolve(OpenSignal, List, Duration)} needs. */
  public record OpenSignal(long id, Instant barTime, Side side, double entry, Double stop, double firstTarget, int horizonBars) {
    /** When the last horizon bar closes: the signal can always be resolved from then on. */
    public Instant horizonEnd(Duration barLength) {
      return barTime.plus(barLength.multipliedBy(horizonBars + 1L));
    }
  }

  /** The outcome, the price it was decided at, why, and the close time of the bar that decided it. */
  public record Resolved(Outcome outcome, double exitPrice, ExitReason reason, Instant decidedAt) {}

  /** The open signals of one pair that can be settled now, and the bars {@code [from, to)} that settle them. */
  public record Batch(List<OpenSignal> due, Instant from, Instant to) {}

  /**
   * Picks the signals of one pair whose horizon has closed by {@code now}, oldest first, as many
   * as fit in a window of {@code maxBars} bars starting right after the first one's signal bar;
   * empty when none is due. The others wait for a later job.
   */
  public static Optional<Batch> plan(List<OpenSignal> open, Duration barLength, Instant now, int maxBars) {
    List<OpenSignal> due = open.stream().filter(s -> !s.horizonEnd(barLength).isAfter(now)).sorted(Comparator.comparing(OpenSignal::barTime)).toList();
    if (due.isEmpty()) {
      return Optional.empty();
    }
    Instant from = due.get(0).barTime().plus(barLength);
    Instant cap = from.plus(barLength.multipliedBy(maxBars));
    List<OpenSignal> fitting = due.stream().filter(s -> !s.horizonEnd(barLength).isAfter(cap)).toList();
    if (fitting.isEmpty()) {
      return Optional.empty();
    }
    Instant to = fitting.stream().map(s -> s.horizonEnd(barLength)).max(Instant::compareTo).orElseThrow();
    return Optional.of(new Batch(fitting, from, to));
  }

  /** Resolves {@code signal} on {@code candles}, a run of bars that may start before or after its signal bar. */
  public static Optional<Resolved> resolve(OpenSignal signal, List<Candle> candles, Duration barLength) {
    int first = 0;
    while (first < candles.size() && !candles.get(first).openTime().isAfter(signal.barTime())) {
      first++;
    }
    List<Candle> after = candles.subList(first, candles.size());
    if (!after.isEmpty() && !after.get(0).openTime().equals(signal.barTime().plus(barLength))) {
      return Optional.empty(); // a gap right after the signal bar: the path is not known
    }
    return resolve(signal.side(), signal.entry(), signal.stop(), signal.firstTarget(), signal.horizonBars(), after, barLength);
  }

  /**
   * @param after the bars after the signal bar, oldest first (more than {@code horizonBars} are ignored)
   * @param stop may be null: then only the horizon close decides
   * @return empty while fewer than {@code horizonBars} bars are known and neither level was reached
   */
  public static Optional<Resolved> resolve(Side side, double entry, Double stop, double target, int horizonBars, List<Candle> after, Duration barLength) {
    int n = Math.min(horizonBars, after.size());
    for (int i = 0; i < n; i++) {
      Candle c = after.get(i);
      boolean stopHit = stop != null && (side == Side.LONG ? c.low() <= stop : c.high() >= stop);
      boolean targetHit = side == Side.LONG ? c.high() >= target : c.low() <= target;
      Instant closed = c.openTime().plus(barLength);
      if (stopHit) {
        return Optional.of(new Resolved(Outcome.LOSS, stop, ExitReason.STOP, closed));
      }
      if (targetHit) {
        return Optional.of(new Resolved(Outcome.WIN, target, ExitReason.TARGET, closed));
      }
    }
    if (after.size() < horizonBars || horizonBars <= 0) {
      return Optional.empty();
    }
    Candle last = after.get(horizonBars - 1);
    boolean win = side == Side.LONG ? last.close() > entry : last.close() < entry;
    return Optional.of(new Resolved(win ? Outcome.WIN : Outcome.LOSS, last.close(), ExitReason.HORIZON, last.openTime().plus(barLength)));
  }
}
