package ai.zmarty.lens;

import ai.zmarty.market.Candle;
import ai.zmarty.market.MarketDataProvider;
import ai.zmarty.market.Timeframe;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The closed bars enrichment reads, kept per symbol and timeframe until the next bar closes: closed
 * bars do not change, so signals on the same symbol within one bar share one fetch (on Hyperliquid a
 * {@code candleSnapshot} costs 20 of the 1,200 weight a minute, which would otherwise cap enrichment
 * at about a dozen signals a minute). A failed fetch is not kept. At most {@value #MAX_SERIES} series.
 */
final class EnrichCandles {
  static final int MAX_SERIES = 512;

  private record Kept(Instant closedUntil, int count, Future<List<Candle>> bars) {}

  private final MarketDataProvider market;
  private final Map<String, Kept> kept =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
          return size() > MAX_SERIES;
        }
      };

  EnrichCandles(MarketDataProvider market) {
    this.market = market;
  }

  /** The last {@code count} closed bars of {@code symbol} at {@code tf} as of {@code now}, oldest first. */
  synchronized Future<List<Candle>> last(String symbol, Timeframe tf, int count, Instant now) {
    Instant closedUntil = tf.closedUntil(now);
    String key = symbol + "|" + tf.label();
    Kept k = kept.get(key);
    if (k != null && k.closedUntil().equals(closedUntil) && k.count() == count && !k.bars().failed()) {
      return k.bars();
    }
    Future<List<Candle>> bars = market.candles(symbol, tf.label(), closedUntil.minus(tf.duration().multipliedBy(count)), closedUntil);
    kept.put(key, new Kept(closedUntil, count, bars));
    bars.onFailure(err -> forget(key, bars));
    return bars;
  }

  private synchronized void forget(String key, Future<List<Candle>> bars) {
    Kept k = kept.get(key);
    if (k != null && k.bars() == bars) {
      kept.remove(key);
    }
  }
}
