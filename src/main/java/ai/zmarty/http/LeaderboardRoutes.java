package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.lens.Leaderboard;
import ai.zmarty.lens.LeaderboardQueries;
import ai.zmarty.lens.SourceKeys;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code GET /api/v1/leaderboard?window=7d|30d|all} (default 30d): how well each model judged the
 * outside signals, per model (with the majority vote as one more row) and per source. Taken by a
 * user JWT or a source key ({@code X-API-Key}).
 */
final class LeaderboardRoutes {
  static final String PATH = "/api/v1/leaderboard";

  private final Authenticator auth;
  private final SourceKeys keys;
  private final LeaderboardQueries queries;

  LeaderboardRoutes(Authenticator auth, SourceKeys keys, LeaderboardQueries queries) {
    this.auth = auth;
    this.keys = keys;
    this.queries = queries;
  }

  void mount(Router router) {
    router.get(PATH).handler(this::authenticate).handler(this::leaderboard);
  }

  /** A source key when {@code X-API-Key} is sent, else the user's bearer token. */
  private void authenticate(RoutingContext rc) {
    String key = rc.request().getHeader("X-API-Key");
    if (key == null) {
      auth.handle(rc);
      return;
    }
    keys.authenticate(key).onSuccess(name -> {
      if (name.isEmpty()) {
        Errors.send(rc, ErrorCode.UNAUTHORIZED, "unknown or revoked source key (X-API-Key)");
      } else {
        rc.next();
      }
    }).onFailure(rc::fail);
  }

  private void leaderboard(RoutingContext rc) {
    String window = Optional.ofNullable(rc.queryParams().get("window")).orElse("30d");
    Optional<Instant> since = Leaderboard.since(window, Instant.now());
    if (since.isEmpty()) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "window must be 7d, 30d or all, got \"" + window + "\"");
      return;
    }
    Responses.respond(rc, 200, queries.leaderboard(window, since.get()));
  }
}
