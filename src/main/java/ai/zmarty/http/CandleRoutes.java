package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.ingest.PriceQueries;
import ai.zmarty.market.Pair;
import ai.zmarty.market.Symbols;
import ai.zmarty.market.Timeframe;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * {@code GET /candles?symbol=&timeframe=&limit=}: a pair's recent closes as the workers ingested
 * them (database B's indicator bars), for the chat app's price charts. Read-only, any valid token.
 */
final class CandleRoutes {
  private static final Set<String> PARAMS = Set.of("symbol", "timeframe", "limit");
  static final int MAX_LIMIT = 1000;
  private final PriceQueries prices;

  CandleRoutes(PriceQueries prices) {
    this.prices = prices;
  }

  void mount(Router router) {
    router.get("/candles").handler(this::candles);
  }

  private void candles(RoutingContext rc) {
    for (String name : rc.queryParams().names()) {
      if (!PARAMS.contains(name)) {
        Errors.send(rc, ErrorCode.BAD_REQUEST, "unknown parameter '" + name + "' (known: symbol, timeframe, limit)");
        return;
      }
      if (rc.queryParams().getAll(name).size() > 1) {
        Errors.send(rc, ErrorCode.BAD_REQUEST, name + " is given more than once");
        return;
      }
    }
    String symbol = rc.queryParams().get("symbol");
    String timeframe = rc.queryParams().get("timeframe");
    if (symbol == null || symbol.isBlank()) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "symbol is missing (e.g. symbol=BTC/USDT)");
      return;
    }
    if (timeframe == null) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "timeframe is missing (one of " + Timeframe.labels() + ")");
      return;
    }
    Pair pair;
    try {
      pair = new Pair(Symbols.canonical(symbol), Timeframe.exactly(timeframe).orElseThrow(
          () -> new IllegalArgumentException("timeframe must be one of " + Timeframe.labels() + ", got \"" + timeframe + "\"")));
    } catch (IllegalArgumentException e) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    int limit = Responses.intParam(rc, "limit", 200, 1, MAX_LIMIT);
    if (limit > 0) {
      Responses.respond(rc, 200, prices.closes(pair, limit));
    }
  }
}
