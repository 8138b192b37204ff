package ai.zmarty.lens;

import ai.zmarty.market.Timeframe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local Hyperliquid info API ({@code POST /info}) answering by request {@code type} in the
 * exchange's wire format (numbers as strings, {@code l2Book} levels {@code {px, sz, n}}, candles
 * {@code {t, T, s, i, o, c, h, l, v, n}} including the bar still forming), from state a test sets:
 * each coin's mid, a flat or wavy candle shape, a crossed or wide book, and scripted faults per
 * type (an error status, or silence so the client's timeout fires).
 */
final class FakeHyperliquid {
  /** A scripted misbehaviour for the next request of a type: an HTTP status (0: never answer). */
  record Fault(int status, String body) {}

  final Map<String, Double> mids = new ConcurrentHashMap<>(Map.of("BTC", 93_000.0, "ETH", 3_300.0, "SOL", 150.0));
  final List<JsonObject> seen = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
  /** Candles with open = high = low = close (ATR 0). */
  volatile boolean flatCandles;
  /** The book's best bid above its best ask. */
  volatile boolean crossedBook;
  /** Half the spread as a share of the mid (default 0.5 bp a side). */
  volatile double halfSpread = 0.00005;
  private HttpServer server;

  Future<FakeHyperliquid> start(Vertx vertx) {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      JsonObject json = body.toJsonObject();
      seen.add(json);
      String type = json.getString("type");
      Deque<Fault> scripted = faults.get(type);
      Fault fault = scripted == null ? null : scripted.poll();
      HttpServerResponse r = req.response();
      if (fault != null) {
        if (fault.status() > 0) {
          r.setStatusCode(fault.status()).putHeader("content-type", "application/json").end(fault.body());
        }
        return;
      }
      Object answer = switch (type) {
        case "allMids" -> allMids();
        case "l2Book" -> l2Book(json.getString("coin"));
        case "metaAndAssetCtxs" -> metaAndAssetCtxs();
        case "predictedFundings" -> predictedFundings();
        case "candleSnapshot" -> candles(json.getJsonObject("req"));
        default -> null;
      };
      if (answer == null) {
        r.setStatusCode(422).end("Failed to deserialize the JSON body into the target type");
      } else {
        r.putHeader("content-type", "application/json").end(answer.toString());
      }
    }));
    return server.listen(0, "127.0.0.1").map(s -> this);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** The next {@code times} requests of {@code type} get {@code fault}. */
  FakeHyperliquid fail(String type, Fault fault, int times) {
    Deque<Fault> q = faults.computeIfAbsent(type, t -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      q.add(fault);
    }
    return this;
  }

  void reset() {
    faults.clear();
    flatCandles = false;
    crossedBook = false;
    halfSpread = 0.00005;
    seen.clear();
  }

  long count(String type) {
    return seen.stream().filter(j -> type.equals(j.getString("type"))).count();
  }

  private JsonObject allMids() {
    JsonObject out = new JsonObject();
    mids.forEach((coin, px) -> out.put(coin, s(px)));
    return out;
  }

  private JsonObject l2Book(String coin) {
    double mid = mids.get(coin);
    JsonArray bids = new JsonArray();
    JsonArray asks = new JsonArray();
    for (int i = 0; i < 20; i++) {
      double offset = mid * halfSpread * (1 + 2 * i);
      double bid = crossedBook ? mid + offset + mid * 0.001 : mid - offset;
      bids.add(new JsonObject().put("px", s(bid)).put("sz", s(1.5 + i * 0.25)).put("n", 3 + i));
      asks.add(new JsonObject().put("px", s(mid + offset)).put("sz", s(1.0 + i * 0.25)).put("n", 2 + i));
    }
    return new JsonObject().put("coin", coin).put("time", System.currentTimeMillis()).put("levels", new JsonArray().add(bids).add(asks));
  }

  private JsonArray metaAndAssetCtxs() {
    JsonArray universe = new JsonArray();
    JsonArray ctxs = new JsonArray();
    mids.forEach((coin, px) -> {
      universe.add(new JsonObject().put("szDecimals", 5).put("name", coin).put("maxLeverage", 40).put("marginTableId", 56));
      ctxs.add(new JsonObject()
          .put("funding", "0.0000125").put("openInterest", "29345.61234").put("prevDayPx", s(px * 0.99)).put("dayNtlVlm", "2154038211.0482301")
          .put("premium", "0.00031259").put("oraclePx", s(px * 0.9997)).put("markPx", s(px * 1.0001)).put("midPx", s(px))
          .put("impactPxs", new JsonArray().add(s(px - 1)).add(s(px + 1))).put("dayBaseVlm", "23120.45812"));
    });
    return new JsonArray().add(new JsonObject().put("universe", universe)).add(ctxs);
  }

  /** BTC has Hyperliquid's own predicted rate; ETH's own venue entry is null (only another venue's). */
  private static JsonArray predictedFundings() {
    JsonObject btc = new JsonObject().put("fundingRate", "0.0000143").put("nextFundingTime", System.currentTimeMillis() + 1_800_000).put("fundingIntervalHours", 1);
    JsonObject binance = new JsonObject().put("fundingRate", "0.0001").put("nextFundingTime", System.currentTimeMillis() + 3_600_000).put("fundingIntervalHours", 8);
    return new JsonArray()
        .add(new JsonArray().add("BTC").add(new JsonArray().add(new JsonArray().add("BinPerp").add(binance)).add(new JsonArray().add("HlPerp").add(btc))))
        .add(new JsonArray().add("ETH").add(new JsonArray().add(new JsonArray().add("BinPerp").add(binance)).add(new JsonArray().add("HlPerp").addNull())));
  }

  /** Bars opening in [startTime, endTime], ending at the mid, wavy (or flat) before it. */
  private JsonArray candles(JsonObject req) {
    String coin = req.getString("coin");
    Timeframe tf = Timeframe.parse(req.getString("interval"));
    long step = tf.millis();
    long start = Math.floorDiv(req.getLong("startTime") + step - 1, step) * step;
    long end = Math.min(req.getLong("endTime"), System.currentTimeMillis());
    double mid = mids.get(coin);
    JsonArray out = new JsonArray();
    for (long t = start; t <= end; t += step) {
      long k = (end - t) / step; // bars before the newest
      double close = flatCandles ? mid : mid * (1 + 0.004 * Math.sin(k / 5.0) - 0.0002 * Math.cos(k / 3.0) * (k % 7));
      double open = flatCandles ? mid : mid * (1 + 0.004 * Math.sin((k + 1) / 5.0) - 0.0002 * Math.cos((k + 1) / 3.0) * ((k + 1) % 7));
      double high = flatCandles ? mid : Math.max(open, close) * (1 + 0.0015 * (1 + (k % 3)));
      double low = flatCandles ? mid : Math.min(open, close) * (1 - 0.0015 * (1 + (k % 4)));
      out.add(new JsonObject().put("t", t).put("T", t + step - 1).put("s", coin).put("i", tf.label())
          .put("o", s(open)).put("c", s(close)).put("h", s(high)).put("l", s(low)).put("v", s(100 + k % 13)).put("n", 1000 + k));
    }
    return out;
  }

  private static String s(double v) {
    return new java.math.BigDecimal(v).setScale(5, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
  }
}
