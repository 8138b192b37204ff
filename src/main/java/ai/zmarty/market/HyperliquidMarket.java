package ai.zmarty.market;

import ai.zmarty.market.CandleQuality.RawBar;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Candles and asset contexts from Hyperliquid's public info API ({@code MARKET_PROVIDER=hyperliquid}):
 * {@code POST {base}/info}.
 *
 * <p>Candles: {@code candleSnapshot} serves a limited number of candles per answer, so a window is
 * fetched page by page, each next page starting just after the last open time received. Every
 * request first reserves its weight from a 1,200-per-minute {@link WeightBudget} (20 per request,
 * plus 1 per 60 candles charged from the answer) and waits when the budget is spent, rather than
 * earning a 429. Asset contexts ({@code metaAndAssetCtxs}: funding, open interest, mark price, 24h
 * notional volume) are fetched for all coins at once and kept for 5 s.
 */
public final class HyperliquidMarket extends ExchangeMarket {
  static final int REQUEST_WEIGHT = 20;
  static final int CANDLES_PER_EXTRA_WEIGHT = 60;
  static final Duration CONTEXT_TTL = Duration.ofSeconds(5);

  /** One coin's live figures; {@code funding} is the hourly rate, open interest in coin units, {@code premium} mark over oracle (null when not quoted). */
  public record AssetContext(String coin, double funding, double openInterest, double markPx, double dayNtlVlm, Double premium) {}

  /** The venue name of Hyperliquid's own perpetuals in {@code predictedFundings}. */
  static final String OWN_VENUE = "HlPerp";

  /** One price level of the order book: price, size, number of orders. */
  public record BookLevel(double px, double sz, int n) {}

  /** Up to 20 levels a side, best first, as {@code l2Book} returns them. */
  public record Book(String coin, Instant time, List<BookLevel> bids, List<BookLevel> asks) {}

  /** allMids and l2Book cost 2 weight each. */
  static final int LIGHT_WEIGHT = 2;

  private final Vertx vertx;
  private final ExchangeHttp http;
  private final WeightBudget budget;
  private final LongSupplier monotonicMillis;
  private final Duration contextTtl;
  private Future<Map<String, AssetContext>> contexts;
  private long contextsAt;
  private Future<Map<String, Double>> predicted;
  private long predictedAt;

  public HyperliquidMarket(Vertx vertx, ExchangeOptions options, Clock wall) {
    this(vertx, options, wall, WeightBudget.hyperliquid(System.nanoTime() / 1_000_000), () -> System.nanoTime() / 1_000_000, CONTEXT_TTL);
  }

  HyperliquidMarket(Vertx vertx, ExchangeOptions options, Clock wall, WeightBudget budget, LongSupplier monotonicMillis, Duration contextTtl) {
    super("hyperliquid", wall);
    this.vertx = vertx;
    this.http = new ExchangeHttp(vertx, "hyperliquid", options);
    this.budget = budget;
    this.monotonicMillis = monotonicMillis;
    this.contextTtl = contextTtl;
  }

  @Override
  Future<List<RawBar>> fetch(String symbol, Timeframe tf, long fromMillis, long toMillis) {
    String coin = Symbols.hyperliquidCoin(symbol);
    return page(coin, tf, fromMillis, toMillis - 1, new ArrayList<>(), 0);
  }

  private Future<List<RawBar>> page(String coin, Timeframe tf, long start, long endInclusive, List<RawBar> acc, int pages) {
    JsonObject body =
        new JsonObject()
            .put("type", "candleSnapshot")
            .put("req", new JsonObject().put("coin", coin).put("interval", tf.label()).put("startTime", start).put("endTime", endInclusive));
    return info(body)
        .map(HyperliquidMarket::parseCandles)
        .compose(bars -> {
          budget.charge(bars.size() / CANDLES_PER_EXTRA_WEIGHT, monotonicMillis.getAsLong());
          acc.addAll(bars);
          long last = bars.stream().mapToLong(RawBar::openMillis).max().orElse(Long.MIN_VALUE);
          boolean done = bars.isEmpty() || last < start || last + tf.millis() > endInclusive || pages + 1 >= MAX_PAGES;
          return done ? Future.succeededFuture(acc) : page(coin, tf, last + 1, endInclusive, acc, pages + 1);
        });
  }

  /**
   * Funding, open interest, mark price and 24h notional volume of {@code coin} (a coin such as
   * {@code BTC} or any symbol form); one {@code metaAndAssetCtxs} request serves every coin for 5 s.
   */
  public Future<AssetContext> assetContext(String coin) {
    String wanted;
    try {
      wanted = Symbols.hyperliquidCoin(coin);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return contexts().compose(all -> {
      AssetContext c = all.get(wanted);
      return c != null ? Future.succeededFuture(c) : Future.failedFuture(new IllegalArgumentException("Hyperliquid lists no coin '" + wanted + "'"));
    });
  }

  /** Open interest (coins) × mark price, from the same {@code metaAndAssetCtxs} answer, kept 5 s. */
  @Override
  public Future<Double> openInterestNotional(String symbol) {
    return assetContext(symbol).map(c -> c.openInterest() * c.markPx());
  }

  private synchronized Future<Map<String, AssetContext>> contexts() {
    long now = monotonicMillis.getAsLong();
    boolean fresh = contexts != null && !contexts.failed() && now - contextsAt < contextTtl.toMillis();
    if (!fresh) {
      contextsAt = now;
      contexts = info(new JsonObject().put("type", "metaAndAssetCtxs")).map(HyperliquidMarket::parseContexts);
    }
    return contexts;
  }

  /**
   * Hyperliquid's predicted next funding rate of its own perpetual, by coin ({@code predictedFundings},
   * venue {@value #OWN_VENUE}; a coin whose venue entry is null is left out); kept 5 s like the contexts.
   */
  public synchronized Future<Map<String, Double>> predictedFundings() {
    long now = monotonicMillis.getAsLong();
    if (predicted == null || predicted.failed() || now - predictedAt >= contextTtl.toMillis()) {
      predictedAt = now;
      predicted = info(new JsonObject().put("type", "predictedFundings")).map(HyperliquidMarket::parsePredicted);
    }
    return predicted;
  }

  static Map<String, Double> parsePredicted(Buffer body) {
    try {
      JsonArray coins = new JsonArray(body);
      Map<String, Double> out = new HashMap<>();
      for (int i = 0; i < coins.size(); i++) {
        JsonArray entry = coins.getJsonArray(i);
        JsonArray venues = entry.getJsonArray(1);
        for (int v = 0; v < venues.size(); v++) {
          JsonArray venue = venues.getJsonArray(v);
          if (OWN_VENUE.equals(venue.getString(0)) && venue.getValue(1) instanceof JsonObject rate) {
            out.put(entry.getString(0).toUpperCase(java.util.Locale.ROOT), number(rate.getValue("fundingRate")));
          }
        }
      }
      return Map.copyOf(out);
    } catch (RuntimeException e) {
      throw malformed("predictedFundings", body, e);
    }
  }

  /**
   * Listed: the pair's coin has a mid price in {@code allMids} (weight 2, every coin at once). A
   * pair not quoted in USD has no Hyperliquid coin, so it is not listed; every {@link Timeframe}
   * is one of Hyperliquid's candle intervals.
   */
  @Override
  public Future<Boolean> lists(String symbol, String timeframe) {
    String coin;
    try {
      Timeframe.parse(timeframe);
      coin = Symbols.hyperliquidCoin(symbol);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(false);
    }
    return allMids().map(mids -> mids.containsKey(coin));
  }

  /** Mid prices of every coin, by coin ({@code allMids}). */
  public Future<Map<String, Double>> allMids() {
    return info(new JsonObject().put("type", "allMids"), LIGHT_WEIGHT).map(HyperliquidMarket::parseMids);
  }

  /** The order book of {@code coin} (any symbol form) ({@code l2Book}). */
  public Future<Book> l2Book(String coin) {
    String wanted;
    try {
      wanted = Symbols.hyperliquidCoin(coin);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return info(new JsonObject().put("type", "l2Book").put("coin", wanted), LIGHT_WEIGHT).map(HyperliquidMarket::parseBook);
  }

  static Map<String, Double> parseMids(Buffer body) {
    try {
      JsonObject mids = new JsonObject(body);
      Map<String, Double> out = new HashMap<>();
      mids.forEach(e -> out.put(e.getKey(), number(e.getValue())));
      return Map.copyOf(out);
    } catch (RuntimeException e) {
      throw malformed("allMids", body, e);
    }
  }

  static Book parseBook(Buffer body) {
    try {
      JsonObject book = new JsonObject(body);
      JsonArray sides = book.getJsonArray("levels");
      return new Book(book.getString("coin"), Instant.ofEpochMilli(millis(book.getValue("time"))), levels(sides.getJsonArray(0)), levels(sides.getJsonArray(1)));
    } catch (RuntimeException e) {
      throw malformed("l2Book", body, e);
    }
  }

  private static List<BookLevel> levels(JsonArray side) {
    List<BookLevel> out = new ArrayList<>(side.size());
    for (int i = 0; i < side.size(); i++) {
      JsonObject l = side.getJsonObject(i);
      out.add(new BookLevel(number(l.getValue("px")), number(l.getValue("sz")), l.getInteger("n")));
    }
    return List.copyOf(out);
  }

  private Future<Buffer> info(JsonObject body) {
    return info(body, REQUEST_WEIGHT);
  }

  /** One info request, after its weight is reserved (waiting if the budget is spent). */
  private Future<Buffer> info(JsonObject body, int weight) {
    long wait = budget.reserve(weight, monotonicMillis.getAsLong());
    Future<Void> go = wait == 0 ? Future.succeededFuture() : vertx.timer(wait).mapEmpty();
    return go.compose(v -> http.post("/info", body));
  }

  static List<RawBar> parseCandles(Buffer body) {
    try {
      JsonArray array = new JsonArray(body);
      List<RawBar> bars = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        JsonObject c = array.getJsonObject(i);
        bars.add(new RawBar(millis(c.getValue("t")), number(c.getValue("o")), number(c.getValue("h")), number(c.getValue("l")), number(c.getValue("c")), number(c.getValue("v"))));
      }
      return bars;
    } catch (RuntimeException e) {
      throw malformed("candleSnapshot", body, e);
    }
  }

  static Map<String, AssetContext> parseContexts(Buffer body) {
    try {
      JsonArray pair = new JsonArray(body);
      JsonArray universe = pair.getJsonObject(0).getJsonArray("universe");
      JsonArray ctxs = pair.getJsonArray(1);
      if (universe.size() != ctxs.size()) {
        throw new IllegalArgumentException("universe has " + universe.size() + " coins but " + ctxs.size() + " contexts");
      }
      Map<String, AssetContext> byCoin = new HashMap<>();
      for (int i = 0; i < universe.size(); i++) {
        String name = universe.getJsonObject(i).getString("name");
        JsonObject c = ctxs.getJsonObject(i);
        byCoin.put(name.toUpperCase(java.util.Locale.ROOT), new AssetContext(name, number(c.getValue("funding")), number(c.getValue("openInterest")), number(c.getValue("markPx")), number(c.getValue("dayNtlVlm")), c.getValue("premium") == null ? null : number(c.getValue("premium"))));
      }
      return Map.copyOf(byCoin);
    } catch (RuntimeException e) {
      throw malformed("metaAndAssetCtxs", body, e);
    }
  }

  private static ExchangeException malformed(String what, Buffer body, RuntimeException e) {
    return new ExchangeException("hyperliquid", 0, "hyperliquid " + what + " answer is malformed (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "): " + ExchangeHttp.snippet(body.toString()));
  }

  /** For tests: the weight left now. */
  double weightAvailable() {
    return budget.available(monotonicMillis.getAsLong());
  }
}
