package ai.zmarty.lens;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.http.Authenticator;
import ai.zmarty.http.Errors;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Who may read lens events: a source with its key ({@code X-API-Key}), which sees only its own
 * events, or a service-role token ({@code Authorization: Bearer}), which sees all. Anything else:
 * 401 without credentials or with bad ones, 403 for a user token that is not service-role.
 */
public final class IntakeCaller {
  private static final String CALLER = "lens.caller";

  private final SourceKeys keys;
  private final Authenticator auth;

  public IntakeCaller(SourceKeys keys, Authenticator auth) {
    this.keys = keys;
    this.auth = auth;
  }

  /** The source a caller is limited to; empty for a service-role caller. */
  public static Optional<String> onlySource(RoutingContext rc) {
    return rc.<Optional<String>>get(CALLER);
  }

  /** Puts the caller check in front of {@code route}'s handlers. */
  public Route guard(Route route) {
    return route.handler(this::identify).handler(this::serviceRoleOnly);
  }

  private void identify(RoutingContext rc) {
    String key = rc.request().getHeader("X-API-Key");
    if (key != null) {
      keys.authenticate(key).onFailure(rc::fail).onSuccess(source -> {
        if (source.isEmpty()) {
          Errors.send(rc, ErrorCode.UNAUTHORIZED, "unknown or revoked API key");
          return;
        }
        rc.put(CALLER, source);
        rc.next();
      });
    } else if (rc.request().getHeader("Authorization") != null) {
      auth.handle(rc); // 401 for a bad token; on to serviceRoleOnly for a good one
    } else {
      Errors.send(rc, ErrorCode.UNAUTHORIZED, "missing credentials: a source's key in X-API-Key, or Authorization: Bearer <service-role token>");
    }
  }

  private void serviceRoleOnly(RoutingContext rc) {
    if (rc.get(CALLER) == null) {
      if (!"service_role".equals(Authenticator.user(rc).role())) {
        Errors.send(rc, ErrorCode.FORBIDDEN, "lens events are read with a source's key (X-API-Key) or a service-role token, not a user token");
        return;
      }
      rc.put(CALLER, Optional.<String>empty());
    }
    rc.next();
  }
}
