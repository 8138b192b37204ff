package ai.zmarty.market;

import ai.zmarty.market.CandleQuality.RawBar;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the exchange adapters share: fetch raw bars for a window, then pass them through {@link
 * CandleQuality} so only closed, sane bars come out, and log each quality flag as a warning.
 */
abstract class ExchangeMarket implements MarketDataProvider {
  private static final Logger log = LoggerFactory.getLogger(ExchangeMarket.class);

  /** A window is fetched in at most this many pages (a safety net against an endless pager). */
  static final int MAX_PAGES = 100;

  private final String exchange;
  private final Clock wall;

  ExchangeMarket(String exchange, Clock wall) {
    this.exchange = exchange;
    this.wall = wall;
  }

  /** The raw bars whose open time is in {@code [fromMillis, toMillis)}, possibly with extras and duplicates. */
  abstract Future<List<RawBar>> fetch(String symbol, Timeframe tf, long fromMillis, long toMillis);

  @Override
  public final Future<List<Candle>> candles(String symbol, String timeframe, Instant fromInclusive, Instant toExclusive) {
    return checkedCandles(symbol, timeframe, fromInclusive, toExclusive).map(CandleQuality.Report::candles);
  }

  /**
   * The closed bars of the window and the quality flags raised on what the exchange sent; {@link
   * #candles} returns the same bars and only logs the flags.
   */
  @Override
  public final Future<CandleQuality.Report> checkedCandles(String symbol, String timeframe, Instant fromInclusive, Instant toExclusive) {
    Timeframe tf;
    try {
      tf = Timeframe.parse(timeframe);
      Symbols.parse(symbol);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Instant now = wall.instant();
    long end = Math.min(toExclusive.toEpochMilli(), tf.closedUntil(now).toEpochMilli());
    long start = tf.alignUp(fromInclusive).toEpochMilli();
    if (end <= start) {
      return Future.succeededFuture(new CandleQuality.Report(List.of(), List.of()));
    }
    Future<List<RawBar>> raw;
    try {
      raw = fetch(symbol, tf, start, end);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return raw.map(bars -> {
      CandleQuality.Report report = CandleQuality.check(bars, tf, fromInclusive, toExclusive, now);
      for (CandleQuality.Flag f : report.flags()) {
        log.warn("{} {} {} quality {} at {}: {}", exchange, symbol, tf.label(), f.kind(), f.at(), f.detail());
      }
      return report;
    });
  }

  static double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      return Double.parseDouble(s);
    }
    throw new IllegalArgumentException("expected a number, got " + value);
  }

  static long millis(Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    throw new IllegalArgumentException("expected a time in ms, got " + value);
  }
}
