package ai.zmarty.market;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which pairs the configured market lists, asked once and remembered on this node: a "yes" for
 * {@link #LISTED_TTL}, a "no" for {@link #UNLISTED_TTL} (a coin may be listed later), at most
 * {@link #MAX_ENTRIES} answers (least recently asked dropped first, so a flood of made-up symbols
 * cannot grow it). Concurrent questions about one pair share one request. A market that could
 * not be asked is remembered for nothing: the failed future goes to the caller, and the next
 * question asks again.
 */
public final class SymbolCatalog {
  static final Duration LISTED_TTL = Duration.ofHours(24);
  static final Duration UNLISTED_TTL = Duration.ofMinutes(10);
  static final int MAX_ENTRIES = 10_000;

  private record Answer(Future<Boolean> answer, long expiresAt) {}

  private final MarketDataProvider market;
  private final String name;
  private final LongSupplier monotonicMillis;
  private final Map<String, Answer> entries =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  /** @param name the market's name in messages, e.g. {@code simulated} or {@code binance} */
  public SymbolCatalog(MarketDataProvider market, String name) {
    this(market, name, () -> System.nanoTime() / 1_000_000);
  }

  SymbolCatalog(MarketDataProvider market, String name, LongSupplier monotonicMillis) {
    this.market = market;
    this.name = name;
    this.monotonicMillis = monotonicMillis;
  }

  public String marketName() {
    return name;
  }

  /** Whether the market lists {@code symbol} at {@code timeframe}; a failed future when it could not be asked. */
  public Future<Boolean> lists(String symbol, String timeframe) {
    String key = symbol + " " + timeframe;
    long now = monotonicMillis.getAsLong();
    Future<Boolean> asked;
    synchronized (entries) {
      Answer e = entries.get(key);
      if (e != null && !e.answer().failed() && (!e.answer().isComplete() || now < e.expiresAt())) {
        return e.answer();
      }
      asked = market.lists(symbol, timeframe);
      // expiry is set when the answer is known; until then the entry stands for the request in flight
      entries.put(key, new Answer(asked, Long.MAX_VALUE));
    }
    return asked.andThen(ar -> {
      synchronized (entries) {
        Answer e = entries.get(key);
        if (e == null || e.answer() != asked) {
          return;
        }
        if (ar.failed()) {
          entries.remove(key);
        } else {
          entries.put(key, new Answer(asked, monotonicMillis.getAsLong() + (ar.result() ? LISTED_TTL : UNLISTED_TTL).toMillis()));
        }
      }
    });
  }

  /** Answers kept now (for tests). */
  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
