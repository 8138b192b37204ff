package ai.zmarty.market;

import ai.zmarty.config.MarketConfig;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Builds the {@link LiveMarket} of {@code MARKET_PROVIDER} around the node's candle provider. */
public final class LiveMarkets {
  private LiveMarkets() {}

  /**
   * Hyperliquid: its info API (the same adapter, weight budget and 5 s context cache as the
   * candles). Simulated and replay: the {@link SimulatedLive} figures derived from their candles.
   * Binance (spot): the mid from the last closed 1m bar, and no book or derivatives.
   */
  public static LiveMarket of(MarketDataProvider candles, MarketConfig config, Clock wall) {
    MarketDataProvider inner = candles instanceof DelayedMarket d ? d.inner() : candles;
    if (inner instanceof HyperliquidMarket hl) {
      return new HyperliquidLive(hl, candles, wall);
    }
    return switch (config.provider()) {
      case BINANCE -> new SpotLive(candles, candles.clock(wall));
      default -> new SimulatedLive(candles, config.seed(), candles.clock(wall));
    };
  }

  /** The last closed 1m bar's close as the mid, stamped with that bar's close time; null when there is none. */
  static Future<LiveMarket.Quote> lastClose(MarketDataProvider candles, String symbol, Clock clock) {
    Instant now = clock.instant();
    return candles.candles(symbol, "1m", now.minus(Duration.ofMinutes(10)), now).map(bars -> {
      if (bars.isEmpty()) {
        return null;
      }
      Candle last = bars.get(bars.size() - 1);
      return new LiveMarket.Quote(last.close(), last.openTime().plus(Duration.ofMinutes(1)));
    });
  }

  /** A spot market's live view: the mid from candles, nothing else. */
  private record SpotLive(MarketDataProvider candles, Clock clock) implements LiveMarket {
    @Override
    public String provider() {
      return "binance";
    }

    @Override
    public String version() {
      return "klines-v3";
    }

    @Override
    public Future<LiveMarket.Quote> quote(String symbol) {
      return candles.lists(symbol, "1m").compose(listed -> listed ? lastClose(candles, symbol, clock) : Future.succeededFuture());
    }

    @Override
    public Future<Book> book(String symbol, int depth) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Derivatives> derivatives(String symbol) {
      return Future.succeededFuture();
    }
  }

  static List<LiveMarket.Level> top(List<LiveMarket.Level> levels, int depth) {
    return levels.size() <= depth ? levels : levels.subList(0, depth);
  }
}
