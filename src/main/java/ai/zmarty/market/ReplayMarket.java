package ai.zmarty.market;

import ai.zmarty.contracts.FileLoad;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Real history played back ({@code MARKET_PROVIDER=replay}): the shipped Coinbase BTC-USD and
 * ETH-USD 4h bars, 2016-05-18 → 2025-10-28 ({@code src/main/resources/market/*.csv}).
 *
 * <p>Replay time is wall time mapped by a fixed offset and speed: when the provider is built
 * (wall time w₀) replay time is {@code start}; afterwards it runs {@code speed} times as fast,
 * replay = start + (wall − w₀) × speed. With {@code REPLAY_SPEED=1} (one bar per second) a 4h bar
 * closes every wall second; {@code realtime} plays at the speed the market had. {@link
 * #candles} takes replay times and returns only bars closed in replay time (close ≤ replay now),
 * so nothing from the replay's future leaks out; {@link #clock} is the replay clock, which the
 * workers use in place of the wall clock to ask for "the latest bars".
 *
 * <p>Symbols map by base asset: BTC/USD, BTC/USDT, BTCUSDT, BTC-PERP, BTC → the BTC file; ETH
 * likewise. Other symbols and timeframes other than 4h are refused with a message saying what
 * exists. Files are read once, on first use.
 */
public final class ReplayMarket implements MarketDataProvider {
  /** Base asset → classpath resource. */
  static final Map<String, String> FILES = Map.of("BTC", "market/btc_usd_4h.csv", "ETH", "market/eth_usd_4h.csv");

  private final Map<String, String> files;
  private final Instant start;
  private final double speed;
  private final Clock wall;
  private final Instant wallStart;
  private final Map<String, List<Candle>> loaded = new HashMap<>();

  /**
   * @param start replay time at the moment of construction
   * @param speed replay seconds per wall second (1: real time; 14,400: one 4h bar per second)
   * @param wall the wall clock
   */
  public ReplayMarket(Instant start, double speed, Clock wall) {
    this(start, speed, wall, FILES);
  }

  /** @param files base asset → classpath resource of its 4h history */
  ReplayMarket(Instant start, double speed, Clock wall, Map<String, String> files) {
    this.files = Map.copyOf(files);
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("replay speed must be a positive number, got " + speed);
    }
    this.start = start;
    this.speed = speed;
    this.wall = wall;
    this.wallStart = wall.instant();
  }

  /** Replay seconds per wall second for {@code barsPerSecond} 4h bars per wall second. */
  public static double speedOf(double barsPerSecond) {
    return barsPerSecond * Timeframe.H4.duration().toSeconds();
  }

  /** The replay time now. */
  public Instant now() {
    long wallMillis = Duration.between(wallStart, wall.instant()).toMillis();
    return start.plusMillis(Math.round(wallMillis * speed));
  }

  @Override
  public Clock clock(Clock ignored) {
    return new ReplayClock();
  }

  @Override
  public Future<List<Candle>> candles(String symbol, String timeframe, Instant fromInclusive, Instant toExclusive) {
    try {
      return Future.succeededFuture(bars(symbol, timeframe, fromInclusive, toExclusive));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  /** Listed: BTC or ETH quoted in USD, USDT or USDC, at 4h only. */
  @Override
  public Future<Boolean> lists(String symbol, String timeframe) {
    try {
      Symbols.Parsed p = Symbols.parse(symbol);
      return Future.succeededFuture(Timeframe.parse(timeframe) == Timeframe.H4 && files.containsKey(p.base()) && SimulatedAssets.QUOTES.contains(p.quote()));
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(false);
    }
  }

  /** The synchronous form of {@link #candles}. */
  public List<Candle> bars(String symbol, String timeframe, Instant fromInclusive, Instant toExclusive) {
    Timeframe tf = Timeframe.parse(timeframe);
    if (tf != Timeframe.H4) {
      throw new IllegalArgumentException("the replay market has 4h bars only, not " + tf.label() + " (MARKET_PROVIDER=replay)");
    }
    List<Candle> all = history(symbol);
    Instant closedUntil = tf.closedUntil(now()); // bars opening before this have closed
    Instant end = toExclusive.isBefore(closedUntil) ? toExclusive : closedUntil;
    int from = Candle.firstAtOrAfter(all, fromInclusive);
    int to = Candle.firstAtOrAfter(all, end);
    return from >= to ? List.of() : List.copyOf(all.subList(from, to));
  }

  private synchronized List<Candle> history(String symbol) {
    String base = Symbols.base(symbol);
    String file = files.get(base);
    if (file == null) {
      throw new IllegalArgumentException("the replay market has BTC and ETH only (e.g. BTC/USD, ETH/USDT), not '" + symbol + "'");
    }
    // a missing or malformed file: one warning naming it, and no bars rather than a failing job per read
    return loaded.computeIfAbsent(base, b -> Collections.unmodifiableList(new ArrayList<>(FileLoad.resource(file, CandleCsv::read).orElse(List.of()))));
  }

  /** Replay time as a {@link Clock}. */
  private final class ReplayClock extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now();
    }
  }
}
