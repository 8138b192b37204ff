package ai.zmarty.ingest;

import ai.zmarty.market.CandleQuality;
import ai.zmarty.market.CandleQuality.Flag;
import ai.zmarty.market.CandleQuality.Kind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The quality flags ingest stores with a bar ({@code indicators.quality}, a JSON array of {@code
 * {"kind","at","detail"}}) and reports in its job summary; the data contract with the signal
 * strategy, which damps or flattens a flagged bar. A bar is flagged
 *
 * <ul>
 *   <li>{@code missing} when bars are absent right before it: its indicators bridged a hole
 *       (found by {@link PairSeries} from the bars themselves, the same on any node);
 *   <li>{@code out_of_range} when the exchange sent an impossible bar right before it, which was
 *       dropped ({@link CandleQuality}; only the exchange adapters see these);
 *   <li>{@code stale} when it is the newest bar a job wrote and the feed was behind: the bar that
 *       should have closed last had not come {@value #GRACE_SECONDS} s after its close (exchanges
 *       publish a closed bar within seconds; a job right at the close is not flagged for that), so
 *       a signal on this bar is late.
 * </ul>
 */
public final class Quality {
  static final long GRACE_SECONDS = 60;

  private Quality() {}

  /** The flag of a bar that follows a hole, or null when {@code previous} is right before it. */
  static Flag missingBefore(Instant previousOpen, Instant open, Duration step) {
    long missing = Duration.between(previousOpen, open).dividedBy(step) - 1;
    if (missing <= 0) {
      return null;
    }
    return new Flag(Kind.MISSING, previousOpen.plus(step), missing + " bar(s) missing before " + open);
  }

  /**
   * The flag of a job at {@code now} whose newest bar is not the newest that should have closed
   * before {@code until} (the bars' exclusive end, {@code now} aligned down), or null.
   */
  static Flag stale(Instant newestOpen, Instant until, Instant now, Duration step) {
    Instant expected = until.minus(step);
    if (newestOpen != null && !newestOpen.isBefore(expected)) {
      return null;
    }
    // the newest bar may simply not be published yet; the one before it must be
    if (Duration.between(until, now).getSeconds() < GRACE_SECONDS) {
      expected = expected.minus(step);
      if (newestOpen != null && !newestOpen.isBefore(expected)) {
        return null;
      }
    }
    if (newestOpen == null) {
      return new Flag(Kind.STALE, expected, "no closed bar came back; expected bars up to " + expected);
    }
    long behind = Duration.between(newestOpen, expected).dividedBy(step);
    return new Flag(Kind.STALE, newestOpen.plus(step), "the feed's newest bar opens at " + newestOpen + ", " + behind + " bar(s) behind " + expected);
  }

  public static JsonArray toJson(List<Flag> flags) {
    JsonArray out = new JsonArray();
    for (Flag f : flags) {
      out.add(new JsonObject().put("kind", f.kind().wire()).put("at", f.at().toString()).put("detail", f.detail()));
    }
    return out;
  }

  /** Reads {@link #toJson}'s form; anything unreadable is skipped (a bad row must not fail a job). */
  public static List<Flag> fromJson(JsonArray json) {
    List<Flag> out = new ArrayList<>();
    if (json == null) {
      return out;
    }
    for (Object o : json) {
      if (o instanceof JsonObject f) {
        try {
          out.add(new Flag(Kind.fromWire(f.getString("kind")), Instant.parse(f.getString("at")), f.getString("detail", "")));
        } catch (RuntimeException e) {
          // an unknown kind or time from a newer or older writer: not a flag this reader can act on
        }
      }
    }
    return out;
  }
}
