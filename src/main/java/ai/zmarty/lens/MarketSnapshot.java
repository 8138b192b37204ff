package ai.zmarty.lens;

import ai.zmarty.market.Candle;
import ai.zmarty.market.LiveMarket;
import ai.zmarty.market.Timeframe;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What enrichment fetched for one event, as the market answered: the quote (never null: an
 * unlisted symbol is rejected before), the book (null when the market publishes none), the
 * derivatives (null when the profile does not ask or the market has none), the closed bars per
 * profile timeframe (oldest first; absent when the profile asks for neither TA nor levels), and
 * the time it was taken.
 */
public record MarketSnapshot(
    String provider, String version, LiveMarket.Quote quote, LiveMarket.Book book, LiveMarket.Derivatives derivatives, Map<Timeframe, List<Candle>> candles, Instant takenAt) {
  public MarketSnapshot {
    candles = Map.copyOf(candles);
  }

  /** The best bid, or null without a book or bids. */
  public Double bid() {
    return book == null || book.bids().isEmpty() ? null : book.bids().get(0).px();
  }

  /** The best ask, or null without a book or asks. */
  public Double ask() {
    return book == null || book.asks().isEmpty() ? null : book.asks().get(0).px();
  }
}
