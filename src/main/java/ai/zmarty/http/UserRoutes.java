package ai.zmarty.http;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.ingest.LiquidationQueries;
import ai.zmarty.market.Pair;
import ai.zmarty.market.Symbols;
import ai.zmarty.signal.SignalQueries;
import ai.zmarty.watchlist.Watchlist;
import ai.zmarty.winrate.WinRateQueries;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** A user's own data: watched symbols, their signals and win rates, and credits. */
final class UserRoutes {
  /** Seconds a client waits before asking again when the market could not be asked about a pair. */
  static final String MARKET_RETRY_AFTER = "30";
  private final Vertx vertx;
  private final Watchlist watchlist;
  private final SignalQueries signals;
  private final WinRateQueries winRates;
  private final LiquidationQueries liquidations;

  UserRoutes(Vertx vertx, Watchlist watchlist, SignalQueries signals, WinRateQueries winRates, LiquidationQueries liquidations) {
    this.vertx = vertx;
    this.liquidations = liquidations;
    this.watchlist = watchlist;
    this.signals = signals;
    this.winRates = winRates;
  }

  void mount(Router router) {
    router.get("/symbols").handler(this::listSymbols);
    router.post("/symbols").handler(this::addSymbol);
    router.delete("/symbols/:symbol/:timeframe").handler(this::removeSymbol);
    router.get("/signals").handler(this::signals);
    router.get("/win-rates").handler(this::winRates);
    router.get("/credits").handler(this::credits);
    router.get("/liquidations").handler(this::liquidations);
  }

  /**
   * {@code GET /liquidations?symbol=BTC/USDT[&source=estimate]}: the estimated liquidation clusters
   * (docs/liquidations.md). {@code source=cryptometer|kingfisher} answers 501: slots kept for
   * those services, which publish no API documentation to build an adapter from.
   */
  private void liquidations(RoutingContext rc) {
    String source = rc.queryParams().get("source");
    if (source != null && LiquidationQueries.UNCONFIGURED_SOURCES.contains(source)) {
      Errors.send(rc, ErrorCode.NOT_IMPLEMENTED, "liquidation source '" + source + "' is not configured: it publishes no API documentation, so there is no adapter; source=estimate (the default) is this service's own model");
      return;
    }
    if (source != null && !source.equals("estimate")) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "source must be estimate (the default), cryptometer or kingfisher, got '" + source + "'");
      return;
    }
    String symbol;
    try {
      symbol = Symbols.canonical(rc.queryParams().get("symbol"));
    } catch (RuntimeException e) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    Responses.respond(rc, 200, liquidations.clusters(symbol));
  }

  private void listSymbols(RoutingContext rc) {
    Responses.respond(rc, 200, watchlist.list(Authenticator.user(rc).id()).map(list -> new JsonObject().put("symbols", new JsonArray(list))));
  }

  private void addSymbol(RoutingContext rc) {
    JsonObject body = Responses.jsonBody(rc);
    if (body == null) {
      return;
    }
    Pair pair;
    try {
      pair = Pair.watched(body.getValue("symbol") instanceof String s ? s : null, body.getValue("timeframe") instanceof String t ? t : null);
    } catch (IllegalArgumentException e) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    UUID user = Authenticator.user(rc).id();
    watchlist.add(user, pair)
        .onSuccess(added -> {
          if (added) {
            changed(user);
          }
          Responses.json(rc, added ? 201 : 200, pair.toJson().put("status", added ? "added" : "already watched"));
        })
        .onFailure(err -> {
          ErrorCode code = ErrorCode.of(err);
          if (code == ErrorCode.INTERNAL) {
            rc.fail(err);
            return;
          }
          if (code == ErrorCode.UNAVAILABLE) {
            rc.response().putHeader("Retry-After", MARKET_RETRY_AFTER);
          }
          Errors.send(rc, code, err.getMessage());
        });
  }

  private void removeSymbol(RoutingContext rc) {
    Pair pair;
    try {
      pair = Pair.watched(rc.pathParam("symbol"), rc.pathParam("timeframe"));
    } catch (IllegalArgumentException e) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, e.getMessage() + " (encode the slash: BTC%2FUSDT)");
      return;
    }
    UUID user = Authenticator.user(rc).id();
    watchlist.remove(user, pair).onSuccess(removed -> {
      if (removed) {
        changed(user);
        Responses.json(rc, 200, pair.toJson().put("status", "removed"));
      } else {
        Errors.send(rc, ErrorCode.NOT_FOUND, "you do not watch " + pair.symbol() + " " + pair.timeframe());
      }
    }).onFailure(rc::fail);
  }

  /** Before the answer: a chat the client sends next finds the router has already forgotten the old list. */
  private void changed(UUID user) {
    vertx.eventBus().publish(Addresses.EVENTS_WATCHLIST_CHANGED, new JsonObject().put("user_id", user.toString()));
  }

  private void signals(RoutingContext rc) {
    int limit = Responses.intParam(rc, "limit", 1, 1, 100);
    if (limit < 0) {
      return;
    }
    Responses.respond(rc, 200, watchlist.pairs(Authenticator.user(rc).id()).compose(pairs -> signals.latest(pairs, limit)).map(list -> new JsonObject().put("signals", new JsonArray(list))));
  }

  private void winRates(RoutingContext rc) {
    Responses.respond(rc, 200, watchlist.pairs(Authenticator.user(rc).id()).compose(winRates::forPairs).map(list -> new JsonObject().put("win_rates", new JsonArray(list))));
  }

  private void credits(RoutingContext rc) {
    int limit = Responses.intParam(rc, "limit", 20, 1, 100);
    if (limit < 0) {
      return;
    }
    JsonObject request = new JsonObject().put("user_id", Authenticator.user(rc).id().toString()).put("limit", limit);
    Responses.respond(rc, 200, vertx.eventBus().<JsonObject>request(Addresses.CREDIT_STATEMENT, request).map(m -> m.body()));
  }
}
