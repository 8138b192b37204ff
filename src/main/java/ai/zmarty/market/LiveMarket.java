package ai.zmarty.market;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * What a market says about a symbol right now, beyond its candles: the mid price, the order book
 * and the perpetual's derivatives figures (funding, open interest, mark price, 24 h notional
 * volume). The outside-signal enrichment reads it; {@link LiveMarkets} builds the one that fits
 * {@code MARKET_PROVIDER}. Each answer carries the time it describes, so callers can judge its age.
 */
public interface LiveMarket {

  /** The mid price and when it was taken. */
  record Quote(double mid, Instant at) {}

  /** One price level: price and size (in coins). */
  record Level(double px, double sz) {}

  /** The book's top levels a side, best first, as of {@code time}. */
  record Book(Instant time, List<Level> bids, List<Level> asks) {}

  /**
   * A perpetual's figures: hourly funding rate, the venue's predicted next funding rate (null when
   * it publishes none), open interest in coins, mark price, 24 h notional volume in the quote
   * currency, the premium of mark over oracle (null when unknown), all as of {@code at}.
   */
  record Derivatives(double funding, Double predictedFunding, double openInterest, double markPx, double dayNotionalVolume, Double premium, Instant at) {
    /** Open interest in the quote currency: coins × mark price. */
    public double openInterestUsd() {
      return openInterest * markPx;
    }
  }

  /** The provider's name as stored with each enrichment ({@code hyperliquid}, {@code simulated}). */
  String provider();

  /** What version of the provider's data answered (API revision, or the simulator's seed). */
  String version();

  /** Where this market's candles come from. */
  MarketDataProvider candles();

  /** The mid price of {@code symbol}; a null result when the market does not list it. */
  Future<Quote> quote(String symbol);

  /** The top {@code depth} levels a side; a null result when the market publishes no book. */
  Future<Book> book(String symbol, int depth);

  /** The perpetual's figures; a null result when the market has none (a spot market). */
  Future<Derivatives> derivatives(String symbol);
}
