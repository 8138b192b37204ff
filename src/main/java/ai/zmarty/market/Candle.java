package ai.zmarty.market;

import java.time.Instant;

/** One closed bar of a market: open, high, low, close and traded volume from its open time on. */
public record Candle(Instant openTime, double open, double high, double low, double close, double volume) {
  public Candle {
    if (!(low <= Math.min(open, close) && high >= Math.max(open, close))) {
      throw new IllegalArgumentException("inconsistent candle at " + openTime + ": o=" + open + " h=" + high + " l=" + low + " c=" + close);
    }
  }
}
