package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.winrate.AnalyticsQueries;
import ai.zmarty.winrate.AnalyticsRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Per-source analytics: {@code GET /analytics/leaderboard} and {@code GET /analytics/performance}.
 * Any valid token (a user's or the service role's): these are figures over every source, no one's
 * own data. Bad parameters get 400 naming the parameter and its values ({@link AnalyticsRequest}).
 */
final class AnalyticsRoutes {
  private final AnalyticsQueries analytics;

  AnalyticsRoutes(AnalyticsQueries analytics) {
    this.analytics = analytics;
  }

  void mount(Router router) {
    router.get("/analytics/leaderboard").handler(rc -> answer(rc, params -> analytics.leaderboard(AnalyticsRequest.leaderboard(params))));
    router.get("/analytics/performance").handler(rc -> answer(rc, params -> analytics.performance(AnalyticsRequest.performance(params))));
  }

  private static void answer(RoutingContext rc, Function<Map<String, List<String>>, Future<JsonObject>> query) {
    Future<JsonObject> body;
    try {
      body = query.apply(params(rc.queryParams()));
    } catch (AnalyticsRequest.BadParameter e) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    Responses.respond(rc, 200, body);
  }

  private static Map<String, List<String>> params(MultiMap query) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    for (String name : query.names()) {
      params.put(name, query.getAll(name));
    }
    return params;
  }
}
