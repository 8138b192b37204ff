package ai.zmarty.market;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Where candles come from: the market package's one public entry. Implementations: the seeded
 * {@link SimulatedMarket}; the {@link ReplayMarket} of shipped history; the exchange adapters
 * {@link HyperliquidMarket} and {@link BinanceMarket}.
 */
public interface MarketDataProvider {

  /**
   * The closed bars of {@code symbol} whose open time is in {@code [fromInclusive, toExclusive)},
   * oldest first. A bar is closed when its close time is at or before now; bars that are still
   * forming are never returned, so callers cannot see the future.
   *
   * @param timeframe a {@link Timeframe} label such as {@code 1h}
   */
  Future<List<Candle>> candles(String symbol, String timeframe, Instant fromInclusive, Instant toExclusive);

  /**
   * The same bars as {@link #candles}, with the quality flags raised on what the source sent
   * ({@link CandleQuality}). Only the exchange adapters can see impossible bars (they drop and
   * flag them); the offline providers produce none, so by default there are no flags.
   */
  default Future<CandleQuality.Report> checkedCandles(String symbol, String timeframe, Instant fromInclusive, Instant toExclusive) {
    return candles(symbol, timeframe, fromInclusive, toExclusive).map(bars -> new CandleQuality.Report(bars, List.of()));
  }

  /**
   * The current open interest of {@code symbol} in the quote currency (contracts × mark price), or
   * null when the source publishes none (the default: the simulated and replay markets, Binance
   * spot). It is a snapshot of now, with no history.
   */
  default Future<Double> openInterestNotional(String symbol) {
    return Future.succeededFuture(null);
  }

  /**
   * Whether this market serves candles of {@code symbol} (any {@link Symbols} form) at {@code
   * timeframe}: true or false once the market has answered; a failed future when it could not be
   * asked (an exchange down or rate-limiting), which is not a "no". Callers cache the answer
   * ({@link SymbolCatalog}).
   */
  Future<Boolean> lists(String symbol, String timeframe);

  /**
   * The clock whose "now" decides which bars are closed, for callers that ask for "the latest
   * bars": the wall clock, except for a replay, which runs on replay time.
   */
  default Clock clock(Clock wall) {
    return wall;
  }
}
