package ai.zmarty.market;

import static ai.zmarty.market.SeededHash.fnv;
import static ai.zmarty.market.SeededHash.mix;
import static ai.zmarty.market.SeededHash.unit;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline markets' live figures, derived without I/O from their candles and {@code MARKET_SEED}
 * so every node gives the same answer for the same minute: the mid is the last closed 1m bar's
 * close (stamped with its close time); the book is {@value #MAX_LEVELS} levels a side around it,
 * one {@value #SPREAD_BPS} bp apart, sizes from a hash of (seed, symbol, minute, level); funding,
 * predicted funding and premium are small hashed rates; the 24 h notional volume is the sum of the
 * last 24 1h bars' close × volume, and open interest a hashed 20–60 % of it, in coins at the mark.
 */
final class SimulatedLive implements LiveMarket {
  static final int MAX_LEVELS = 20;
  static final double SPREAD_BPS = 1.0;

  private final MarketDataProvider candles;
  private final long seed;
  private final Clock clock;

  SimulatedLive(MarketDataProvider candles, long seed, Clock clock) {
    this.candles = candles;
    this.seed = seed;
    this.clock = clock;
  }

  @Override
  public String provider() {
    return "simulated";
  }

  @Override
  public String version() {
    return "seed-" + seed;
  }

  @Override
  public MarketDataProvider candles() {
    return candles;
  }

  @Override
  public Future<Quote> quote(String symbol) {
    return candles.lists(symbol, "1m").compose(listed -> listed ? LiveMarkets.lastClose(candles, symbol, clock) : Future.succeededFuture());
  }

  @Override
  public Future<Book> book(String symbol, int depth) {
    return quote(symbol).map(q -> q == null ? null : book(symbol, q, Math.min(depth, MAX_LEVELS)));
  }

  Book book(String symbol, Quote q, int depth) {
    double tick = q.mid() * SPREAD_BPS / 10_000;
    long minute = q.at().getEpochSecond() / 60;
    List<Level> bids = new ArrayList<>(depth);
    List<Level> asks = new ArrayList<>(depth);
    for (int i = 0; i < depth; i++) {
      bids.add(new Level(q.mid() - tick * (i + 0.5), size(symbol, q.mid(), minute, 2 * i)));
      asks.add(new Level(q.mid() + tick * (i + 0.5), size(symbol, q.mid(), minute, 2 * i + 1)));
    }
    return new Book(q.at(), List.copyOf(bids), List.copyOf(asks));
  }

  @Override
  public Future<Derivatives> derivatives(String symbol) {
    return quote(symbol).compose(q -> {
      if (q == null) {
        return Future.succeededFuture();
      }
      Instant to = q.at();
      return candles.candles(symbol, "1h", to.minus(Duration.ofHours(25)), to).map(bars -> derivatives(symbol, q, bars));
    });
  }

  Derivatives derivatives(String symbol, Quote q, List<Candle> hourly) {
    List<Candle> day = hourly.size() <= 24 ? hourly : hourly.subList(hourly.size() - 24, hourly.size());
    double notional = day.stream().mapToDouble(c -> c.close() * c.volume()).sum();
    long minute = q.at().getEpochSecond() / 60;
    long hour = minute / 60;
    double funding = rate(symbol, hour, 0x46L);
    double predicted = rate(symbol, hour + 1, 0x46L);
    double premium = (unit(hash(symbol, minute, 0x50L)) - 0.5) * 0.001;
    double mark = q.mid() * (1 + premium);
    double oiShare = 0.2 + 0.4 * unit(hash(symbol, hour, 0x4FL));
    return new Derivatives(funding, predicted, notional * oiShare / mark, mark, notional, premium, q.at());
  }

  /** An hourly funding rate from −0.005 % to +0.01 %, as perpetuals mostly pay. */
  private double rate(String symbol, long hour, long salt) {
    return -0.00005 + 0.00015 * unit(hash(symbol, hour, salt));
  }

  /** A level's size: about $20k–$220k of notional, in coins. */
  private double size(String symbol, double mid, long minute, int level) {
    double usd = 20_000 + 200_000 * unit(hash(symbol, minute, 0x4C00L + level));
    return Math.round(usd / mid * 1e5) / 1e5;
  }

  private long hash(String symbol, long index, long salt) {
    return mix(mix(seed ^ fnv(Symbols.canonical(symbol))) + index * 0x9E3779B97F4A7C15L ^ salt);
  }
}
