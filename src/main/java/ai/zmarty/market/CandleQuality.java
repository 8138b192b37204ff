package ai.zmarty.market;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Quality flags on the bars an exchange sent back, before they become {@link Candle}s. Pure.
 *
 * <p>The rule: bars with out-of-range values (a non-positive or non-finite price, high below low,
 * open or close outside [low, high], negative volume) are <b>dropped</b> and flagged; bars still
 * forming (close after now) and bars outside the asked window are dropped silently (they are not
 * errors, just not asked for); duplicates (pages overlap) keep the first. Missing bars (a gap
 * between two consecutive open times) and stale data (the newest closed bar is older than the last
 * bar that should have closed in the window) are <b>flagged, not repaired</b>: the bars that did
 * come back are returned. The adapters log every flag as a warning.
 */
public final class CandleQuality {
  private CandleQuality() {}

  /** One bar as the exchange sent it, numbers already parsed. */
  public record RawBar(long openMillis, double open, double high, double low, double close, double volume) {}

  public enum Kind {
    /** One or more bars absent between two bars that came back. */
    MISSING,
    /** The newest closed bar is older than the newest bar that should have closed. */
    STALE,
    /** A bar with impossible values; it is dropped. */
    OUT_OF_RANGE;

    /** As stored and sent: {@code missing}, {@code stale}, {@code out_of_range}. */
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Kind fromWire(String wire) {
      return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** A flag: what, where (the open time of the first affected bar) and a sentence. */
  public record Flag(Kind kind, Instant at, String detail) {}

  /** The bars kept, oldest first, and the flags raised. */
  public record Report(List<Candle> candles, List<Flag> flags) {
    public boolean clean() {
      return flags.isEmpty();
    }

    public List<Flag> flags(Kind kind) {
      return flags.stream().filter(f -> f.kind() == kind).toList();
    }
  }

  /**
   * Checks the bars answered for {@code [from, to)} at {@code now}.
   *
   * @param bars as received, in any order, possibly overlapping
   */
  public static Report check(List<RawBar> bars, Timeframe tf, Instant from, Instant to, Instant now) {
    long step = tf.millis();
    long start = tf.alignUp(from).toEpochMilli();
    // exclusive end: the window's end or the first bar not yet closed at now, whichever is first
    long end = Math.min(to.toEpochMilli(), tf.closedUntil(now).toEpochMilli());
    List<Flag> flags = new ArrayList<>();
    TreeMap<Long, Candle> kept = new TreeMap<>();
    for (RawBar b : bars) {
      long t = b.openMillis();
      if (t < start || t >= end || t + step > now.toEpochMilli() || kept.containsKey(t)) {
        continue;
      }
      String bad = outOfRange(b);
      if (bad != null) {
        flags.add(new Flag(Kind.OUT_OF_RANGE, Instant.ofEpochMilli(t), bad + " (dropped)"));
      } else if (t % step != 0) {
        flags.add(new Flag(Kind.OUT_OF_RANGE, Instant.ofEpochMilli(t), "open time not on a " + tf.label() + " boundary (dropped)"));
      } else {
        kept.put(t, new Candle(Instant.ofEpochMilli(t), b.open(), b.high(), b.low(), b.close(), b.volume()));
      }
    }
    Long previous = null;
    for (long t : kept.keySet()) {
      if (previous != null && t - previous > step) {
        long missing = (t - previous) / step - 1;
        flags.add(new Flag(Kind.MISSING, Instant.ofEpochMilli(previous + step), missing + " " + tf.label() + " bar(s) missing before " + Instant.ofEpochMilli(t)));
      }
      previous = t;
    }
    // the newest bar that should exist: the last boundary before end, if the window has one
    long lastExpected = Math.floorDiv(end - 1, step) * step;
    if (end > start && lastExpected >= start) {
      if (kept.isEmpty()) {
        flags.add(new Flag(Kind.STALE, Instant.ofEpochMilli(lastExpected), "no closed bar came back; expected bars up to " + Instant.ofEpochMilli(lastExpected)));
      } else if (kept.lastKey() < lastExpected) {
        long behind = (lastExpected - kept.lastKey()) / step;
        flags.add(new Flag(Kind.STALE, Instant.ofEpochMilli(kept.lastKey() + step), "newest bar opens at " + Instant.ofEpochMilli(kept.lastKey()) + ", " + behind + " bar(s) behind " + Instant.ofEpochMilli(lastExpected)));
      }
    }
    flags.sort(Comparator.comparing(Flag::at));
    return new Report(List.copyOf(kept.values()), List.copyOf(flags));
  }

  /** Why a bar is impossible, or null. */
  static String outOfRange(RawBar b) {
    double[] prices = {b.open(), b.high(), b.low(), b.close()};
    for (double p : prices) {
      if (!Double.isFinite(p) || p <= 0) {
        return "non-positive or non-numeric price (o=" + b.open() + " h=" + b.high() + " l=" + b.low() + " c=" + b.close() + ")";
      }
    }
    if (b.high() < b.low()) {
      return "high " + b.high() + " below low " + b.low();
    }
    if (b.close() < b.low() || b.close() > b.high()) {
      return "close " + b.close() + " outside [" + b.low() + ", " + b.high() + "]";
    }
    if (b.open() < b.low() || b.open() > b.high()) {
      return "open " + b.open() + " outside [" + b.low() + ", " + b.high() + "]";
    }
    if (!Double.isFinite(b.volume()) || b.volume() < 0) {
      return "negative or non-numeric volume " + b.volume();
    }
    return null;
  }
}
