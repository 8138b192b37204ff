package ai.zmarty.market;

import static ai.zmarty.market.SeededHash.fnv;
import static ai.zmarty.market.SeededHash.gaussian;
import static ai.zmarty.market.SeededHash.mix;
import static ai.zmarty.market.SeededHash.unit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The offline market: candles that any node computes identically, without state or I/O, from
 * {@code MARKET_SEED}, the symbol, the timeframe and the bar's open time.
 *
 * <p>Each series is a geometric random walk of log prices that starts at the symbol's base price
 * at {@link #ANCHOR} and advances one bar at a time; bar i's shock is a hash of (seed, symbol,
 * timeframe, i), so walking from the anchor always gives the same path, whichever window is asked
 * for. Every {@value #REGIME_BARS} bars a hash picks the next regime: trending up, trending down
 * (a drift of ±0.3 σ per bar) or ranging (no drift, pulled back to the level the range opened
 * at). A pull towards the base price (σ per bar per unit of log distance, so a trend that never
 * ends levels off about 30 % away) keeps years of walking in a plausible band. To avoid
 * walking from the anchor on every call, the log price at every {@value #CHECKPOINT_BARS}th bar
 * is kept per series (a bounded map); the walk itself uses only additions and multiplications, so
 * the doubles are the same on every JVM, and {@link StrictMath} turns them into prices.
 *
 * <p>There are no bars before {@link #ANCHOR}; a window that starts earlier starts there.
 *
 * <p>The walk can price any symbol, but the market <em>lists</em> ({@link #lists}) only the
 * {@link SimulatedAssets}, as an exchange lists its own: a watchlist cannot fill
 * up with pairs that exist nowhere.
 */
public final class SimulatedMarket implements MarketDataProvider {
  /** The first bar of every simulated series opens here, at the symbol's base price. */
  public static final Instant ANCHOR = Instant.parse("2025-01-01T00:00:00Z");

  static final int REGIME_BARS = 48;
  static final int CHECKPOINT_BARS = REGIME_BARS * 16;
  /** Longest window one call may ask for, as exchanges cap a candle request. */
  public static final int MAX_BARS = 5_000;

  private static final int MAX_SERIES = 512;
  private static final double TREND_DRIFT = 0.3; // in per-bar σ
  private static final double RANGE_PULL = 0.15; // share of the distance to the range's level per bar
  private static final double BASE_PULL = 1.0; // in per-bar σ per unit of log distance to the base price
  private static final double WICK = 0.4; // in per-bar σ
  private static final long SALT_SHOCK = 0x5A17L;
  private static final long SALT_REGIME = 0x4E61L;
  private static final long SALT_HIGH = 0x4849L;
  private static final long SALT_LOW = 0x4C4FL;
  private static final long SALT_VOLUME = 0x564FL;

  /** What a block of {@value #REGIME_BARS} bars does. */
  public enum Regime {
    TREND_UP,
    TREND_DOWN,
    RANGE
  }

  private final long seed;
  private final Clock clock;
  private final Map<String, Series> series =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Series> eldest) {
          return size() > MAX_SERIES;
        }
      };

  public SimulatedMarket(long seed, Clock clock) {
    this.seed = seed;
    this.clock = clock;
  }

  /**
   * On a Vert.x context the bars are computed on a worker thread: a series asked for the first
   * time walks from the anchor (for 1m bars, hundreds of thousands of steps) and must not hold an
   * event loop. Elsewhere they are computed in the caller's thread.
   */
  @Override
  public Future<List<Candle>> candles(String symbol, String timeframe, Instant fromInclusive, Instant toExclusive) {
    Timeframe tf;
    try {
      tf = Timeframe.parse(timeframe);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Context context = Vertx.currentContext();
    if (context != null) {
      return context.executeBlocking(() -> bars(symbol, tf, fromInclusive, toExclusive), false);
    }
    try {
      return Future.succeededFuture(bars(symbol, tf, fromInclusive, toExclusive));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  /** Listed: {@link SimulatedAssets}. */
  @Override
  public Future<Boolean> lists(String symbol, String timeframe) {
    return Future.succeededFuture(SimulatedAssets.lists(symbol, timeframe));
  }

  /** The synchronous form of {@link #candles}: closed bars opening in {@code [from, to)}, oldest first. */
  public List<Candle> bars(String symbol, Timeframe tf, Instant fromInclusive, Instant toExclusive) {
    String sym = normalise(symbol);
    Instant closedUntil = tf.closedUntil(clock.instant());
    Instant end = toExclusive.isBefore(closedUntil) ? toExclusive : closedUntil;
    Instant start = fromInclusive.isBefore(ANCHOR) ? ANCHOR : fromInclusive;
    long first = index(tf, tf.alignUp(start));
    long last = index(tf, tf.alignUp(end)); // exclusive
    if (last <= first) {
      return List.of();
    }
    if (last - first > MAX_BARS) {
      throw new IllegalArgumentException("at most " + MAX_BARS + " bars per request, asked for " + (last - first));
    }
    return series(sym, tf).bars(first, last);
  }

  /** The regime of the block that the bar opening at {@code barOpen} belongs to. */
  public Regime regime(String symbol, Timeframe tf, Instant barOpen) {
    return regimeOf(symbolHash(normalise(symbol)), tf, Math.floorDiv(index(tf, tf.alignDown(barOpen)), REGIME_BARS));
  }

  /** BTC ≈ 60,000, ETH ≈ 3,000, SOL ≈ 150; any other base asset gets a price from 0.1 to 1,000 by its hash. */
  public static double basePrice(String symbol) {
    String base = Symbols.base(symbol);
    return switch (base) {
      case "BTC" -> 60_000;
      case "ETH" -> 3_000;
      case "SOL" -> 150;
      default -> StrictMath.pow(10, -1 + 4 * unit(mix(fnv(base))));
    };
  }

  /** Annualised volatility of the walk's shocks: majors calmer than the rest. */
  static double annualVolatility(String symbol) {
    String base = Symbols.base(symbol);
    return switch (base) {
      case "BTC" -> 0.55;
      case "ETH" -> 0.70;
      case "SOL" -> 0.90;
      default -> 0.6 + 0.6 * unit(mix(fnv(base) ^ 0x766FL));
    };
  }

  static String normalise(String symbol) {
    if (symbol == null || symbol.isBlank()) {
      throw new IllegalArgumentException("symbol must not be empty");
    }
    return symbol.trim().toUpperCase(Locale.ROOT);
  }

  private static long index(Timeframe tf, Instant open) {
    return Math.floorDiv(open.toEpochMilli() - ANCHOR.toEpochMilli(), tf.millis());
  }

  private synchronized Series series(String symbol, Timeframe tf) {
    return series.computeIfAbsent(symbol + "|" + tf.label(), k -> new Series(symbol, tf));
  }

  private Regime regimeOf(long symbolHash, Timeframe tf, long block) {
    double u = unit(hash(symbolHash, tf, block, SALT_REGIME));
    return u < 0.3 ? Regime.TREND_UP : u < 0.6 ? Regime.TREND_DOWN : Regime.RANGE;
  }

  private long hash(long symbolHash, Timeframe tf, long index, long salt) {
    long h = mix(seed ^ symbolHash);
    h = mix(h ^ fnv(tf.label()));
    h = mix(h + index * 0x9E3779B97F4A7C15L);
    return mix(h ^ salt);
  }

  /** One series' walk and its checkpoints; walks under its own lock. */
  private final class Series {
    private final String symbol;
    private final Timeframe tf;
    private final long symbolHash;
    private final double logBase;
    private final double sigma;
    private final int tickExponent;
    private final double tickPower;
    private final double volumeNotional;
    /** checkpoints.get(k): the log price before bar k · CHECKPOINT_BARS (the close of the bar before it). */
    private final List<Double> checkpoints = new ArrayList<>();

    Series(String symbol, Timeframe tf) {
      this.symbol = symbol;
      this.tf = tf;
      this.symbolHash = symbolHash(symbol);
      double base = basePrice(symbol);
      this.logBase = StrictMath.log(base);
      this.sigma = annualVolatility(symbol) / StrictMath.sqrt(tf.barsPerYear());
      this.tickExponent = tickExponent(base);
      this.tickPower = powerOfTen(Math.abs(tickExponent));
      this.volumeNotional = 4_000_000.0 * tf.millis() / 3_600_000.0;
      checkpoints.add(logBase);
    }

    synchronized List<Candle> bars(long first, long last) {
      int k = (int) (first / CHECKPOINT_BARS);
      while (checkpoints.size() <= k) {
        int from = checkpoints.size() - 1;
        double log = walk((long) from * CHECKPOINT_BARS, checkpoints.get(from), (long) (from + 1) * CHECKPOINT_BARS, -1, -1, null);
        checkpoints.add(log);
      }
      List<Candle> out = new ArrayList<>((int) (last - first));
      walk((long) k * CHECKPOINT_BARS, checkpoints.get(k), last, first, last, out);
      return out;
    }

    /**
     * Walks bars {@code [start, stop)} from the log price before {@code start} (a block
     * boundary), adding the candles of {@code [emitFrom, emitTo)} to {@code out}; returns the log
     * close of bar stop − 1.
     */
    private double walk(long start, double logPrice, long stop, long emitFrom, long emitTo, List<Candle> out) {
      double log = logPrice;
      double rangeLevel = logPrice;
      Regime regime = Regime.RANGE;
      for (long i = start; i < stop; i++) {
        if (i % REGIME_BARS == 0 || i == start) {
          regime = regimeOf(symbolHash, tf, i / REGIME_BARS);
          rangeLevel = log;
        }
        double drift =
            switch (regime) {
              case TREND_UP -> TREND_DRIFT * sigma;
              case TREND_DOWN -> -TREND_DRIFT * sigma;
              case RANGE -> -RANGE_PULL * (log - rangeLevel);
            };
        double shock = sigma * gaussian(hash(symbolHash, tf, i, SALT_SHOCK));
        double next = log + drift - BASE_PULL * sigma * (log - logBase) + shock;
        if (out != null && i >= emitFrom && i < emitTo) {
          out.add(candle(i, log, next));
        }
        log = next;
      }
      return log;
    }

    private Candle candle(long i, double logOpen, double logClose) {
      double open = round(StrictMath.exp(logOpen));
      double close = round(StrictMath.exp(logClose));
      double upper = StrictMath.exp(Math.max(logOpen, logClose) + WICK * sigma * Math.abs(gaussian(hash(symbolHash, tf, i, SALT_HIGH))));
      double lower = StrictMath.exp(Math.min(logOpen, logClose) - WICK * sigma * Math.abs(gaussian(hash(symbolHash, tf, i, SALT_LOW))));
      double high = Math.max(round(upper), Math.max(open, close));
      double low = Math.min(round(lower), Math.min(open, close));
      double activity = 0.6 + 0.8 * unit(hash(symbolHash, tf, i, SALT_VOLUME)) + Math.abs(logClose - logOpen) / sigma * 0.3;
      double volume = Math.round(volumeNotional / close * activity * 10_000) / 10_000.0;
      return new Candle(Instant.ofEpochMilli(ANCHOR.toEpochMilli() + i * tf.millis()), open, high, low, close, volume);
    }

    /** Prices keep six significant digits of the base price (BTC to 0.1, SOL to 0.0001). */
    private double round(double price) {
      return tickExponent >= 0 ? Math.round(price / tickPower) * tickPower : Math.round(price * tickPower) / tickPower;
    }

    @Override
    public String toString() {
      return symbol + " " + tf;
    }
  }

  /** The power of ten of a price step that keeps six significant digits of {@code base}. */
  private static int tickExponent(double base) {
    return (int) Math.floor(StrictMath.log10(base)) - 5;
  }

  private static double powerOfTen(int n) {
    double p = 1;
    for (int i = 0; i < n; i++) {
      p *= 10; // exact up to 10^22
    }
    return p;
  }

  private static long symbolHash(String symbol) {
    return fnv(symbol);
  }
}
