package ai.zmarty.market;

import java.time.Instant;
import java.util.List;

/** One closed bar of a market: open, high, low, close and traded volume from its open time on. */
public record Candle(Instant openTime, double open, double high, double low, double close, double volume) {
  public Candle {
    if (!(low <= Math.min(open, close) && high >= Math.max(open, close))) {
      throw new IllegalArgumentException("inconsistent candle at " + openTime + ": o=" + open + " h=" + high + " l=" + low + " c=" + close);
    }
  }

  /** The index of the first bar of {@code bars} (sorted by open time) opening at or after {@code t}; {@code bars.size()} when none does. */
  public static int firstAtOrAfter(List<Candle> bars, Instant t) {
    int lo = 0;
    int hi = bars.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (bars.get(mid).openTime().isBefore(t)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
