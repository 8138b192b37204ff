package ai.zmarty.market;

import ai.zmarty.market.CandleQuality.RawBar;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Candles from Binance's public market-data API ({@code MARKET_PROVIDER=binance}): {@code GET
 * {base}/api/v3/klines}, 1,000 klines per page, the next page starting just after the last open
 * time received. Weight 2 per request against 6,000 per minute: a {@link WeightBudget} keeps a
 * long backfill under it.
 */
public final class BinanceMarket extends ExchangeMarket {
  static final int LIMIT = 1_000;
  static final int REQUEST_WEIGHT = 2;
  static final int EXCHANGE_INFO_WEIGHT = 20;
  /** Binance's error code for a symbol it does not know (HTTP 400). */
  static final int INVALID_SYMBOL = -1121;

  private final Vertx vertx;
  private final ExchangeHttp http;
  private final WeightBudget budget = new WeightBudget(6_000, 60_000, System.nanoTime() / 1_000_000);

  public BinanceMarket(Vertx vertx, ExchangeOptions options, Clock wall) {
    super("binance", wall);
    this.vertx = vertx;
    this.http = new ExchangeHttp(vertx, "binance", options);
  }

  @Override
  Future<List<RawBar>> fetch(String symbol, Timeframe tf, long fromMillis, long toMillis) {
    return page(Symbols.binanceSymbol(symbol), tf, fromMillis, toMillis - 1, new ArrayList<>(), 0);
  }

  /**
   * Listed: {@code GET /api/v3/exchangeInfo?symbol=BTCUSDT} names the symbol with status {@code
   * TRADING}. Binance answers a symbol it does not know with 400 {@code {"code":-1121}}: that is a
   * "no"; any other failure fails the future (not a "no").
   */
  @Override
  public Future<Boolean> lists(String symbol, String timeframe) {
    String wanted;
    try {
      Timeframe.parse(timeframe);
      wanted = Symbols.binanceSymbol(symbol);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(false);
    }
    long wait = budget.reserve(EXCHANGE_INFO_WEIGHT, System.nanoTime() / 1_000_000);
    Future<Void> go = wait == 0 ? Future.succeededFuture() : vertx.timer(wait).mapEmpty();
    return go.compose(v -> http.get("/api/v3/exchangeInfo", r -> r.addQueryParam("symbol", wanted)))
        .map(body -> trading(body, wanted))
        .recover(err -> err instanceof ExchangeException e && e.status() == 400 && err.getMessage().contains(Integer.toString(INVALID_SYMBOL))
            ? Future.succeededFuture(false)
            : Future.failedFuture(err));
  }

  /** Whether an exchangeInfo answer lists {@code symbol} as TRADING. */
  static boolean trading(Buffer body, String symbol) {
    try {
      JsonArray symbols = new io.vertx.core.json.JsonObject(body).getJsonArray("symbols");
      for (int i = 0; i < symbols.size(); i++) {
        io.vertx.core.json.JsonObject s = symbols.getJsonObject(i);
        if (symbol.equals(s.getString("symbol"))) {
          return "TRADING".equals(s.getString("status"));
        }
      }
      return false;
    } catch (RuntimeException e) {
      throw new ExchangeException("binance", 0, "binance exchangeInfo answer is malformed (" + e.getClass().getSimpleName() + "): " + ExchangeHttp.snippet(body.toString()));
    }
  }

  private Future<List<RawBar>> page(String symbol, Timeframe tf, long start, long endInclusive, List<RawBar> acc, int pages) {
    long wait = budget.reserve(REQUEST_WEIGHT, System.nanoTime() / 1_000_000);
    Future<Void> go = wait == 0 ? Future.succeededFuture() : vertx.timer(wait).mapEmpty();
    return go.compose(v -> http.get("/api/v3/klines", r -> r
            .addQueryParam("symbol", symbol)
            .addQueryParam("interval", tf.label())
            .addQueryParam("startTime", Long.toString(start))
            .addQueryParam("endTime", Long.toString(endInclusive))
            .addQueryParam("limit", Integer.toString(LIMIT))))
        .map(BinanceMarket::parseKlines)
        .compose(bars -> {
          acc.addAll(bars);
          long last = bars.stream().mapToLong(RawBar::openMillis).max().orElse(Long.MIN_VALUE);
          boolean done = bars.size() < LIMIT || last < start || last + tf.millis() > endInclusive || pages + 1 >= MAX_PAGES;
          return done ? Future.succeededFuture(acc) : page(symbol, tf, last + 1, endInclusive, acc, pages + 1);
        });
  }

  /** {@code [[openTime, "open", "high", "low", "close", "volume", closeTime, …], …]}. */
  static List<RawBar> parseKlines(Buffer body) {
    try {
      JsonArray array = new JsonArray(body);
      List<RawBar> bars = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        JsonArray k = array.getJsonArray(i);
        bars.add(new RawBar(millis(k.getValue(0)), number(k.getValue(1)), number(k.getValue(2)), number(k.getValue(3)), number(k.getValue(4)), number(k.getValue(5))));
      }
      return bars;
    } catch (RuntimeException e) {
      throw new ExchangeException("binance", 0, "binance klines answer is malformed (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "): " + ExchangeHttp.snippet(body.toString()));
    }
  }
}
