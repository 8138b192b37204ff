package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.config.ZmartyConfig.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.http.HttpResponseExpectation;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the bearer token on every user route: HS256 with the shared secret, or Supabase's
 * asymmetric keys from a JWKS URL. Unsigned ({@code alg: none}), badly signed, expired, wrong
 * audience or subject-less tokens answer 401 with a JSON error.
 */
public final class Authenticator {
  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
  public static final String USER = "zmarty.user";
  private static final long JWKS_REFRESH_MS = 10 * 60 * 1000;

  private final Vertx vertx;
  private final AuthConfig config;
  private final String secret;
  private volatile JWTAuth auth;
  private WebClient client;

  /** The authenticated caller. */
  public record AuthUser(UUID id, String role) {}

  public Authenticator(Vertx vertx, AuthConfig config, String secret) {
    this.vertx = vertx;
    this.config = config;
    this.secret = secret;
    this.auth = JWTAuth.create(vertx, options(List.of()));
  }

  /** Loads the JWKS keys when a URL is configured, and keeps them fresh. */
  public Future<Void> start() {
    if (config.jwksUrl().isEmpty()) {
      return Future.succeededFuture();
    }
    client = WebClient.create(vertx);
    vertx.setPeriodic(JWKS_REFRESH_MS, id -> refreshJwks());
    return refreshJwks();
  }

  private Future<Void> refreshJwks() {
    return client.getAbs(config.jwksUrl().orElseThrow()).send().expecting(HttpResponseExpectation.SC_OK).map(r -> {
      JsonArray keys = r.bodyAsJsonObject().getJsonArray("keys", new JsonArray());
      auth = JWTAuth.create(vertx, options(keys.stream().map(k -> (JsonObject) k).toList()));
      log.info("loaded {} signing keys from {}", keys.size(), config.jwksUrl().get());
      return (Void) null;
    }).onFailure(err -> log.warn("cannot load JWKS from {}: {}", config.jwksUrl().get(), err.getMessage()));
  }

  private JWTAuthOptions options(List<JsonObject> jwks) {
    JWTAuthOptions options =
        new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
            .setJWTOptions(new JWTOptions().setAudience(List.of(config.audience())).setLeeway(5));
    jwks.forEach(options::addJwk);
    return options;
  }

  /** Route handler: authenticates, stores the {@link AuthUser} and continues, or answers 401. */
  public void handle(RoutingContext rc) {
    String header = rc.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      Errors.send(rc, ErrorCode.UNAUTHORIZED, "missing bearer token (Authorization: Bearer <jwt>)");
      return;
    }
    String token = header.substring(7).trim();
    if (unsigned(token)) {
      Errors.send(rc, ErrorCode.UNAUTHORIZED, "unsigned tokens are not accepted");
      return;
    }
    auth.authenticate(new TokenCredentials(token)).onComplete(ar -> {
      if (ar.failed()) {
        Errors.send(rc, ErrorCode.UNAUTHORIZED, "invalid token: " + reason(ar.cause()));
        return;
      }
      JsonObject claims = ar.result().principal();
      String sub = claims.getString("sub");
      UUID id;
      try {
        id = UUID.fromString(sub);
      } catch (RuntimeException e) {
        Errors.send(rc, ErrorCode.UNAUTHORIZED, "invalid token: the subject (sub) must be a user id");
        return;
      }
      String role = claims.getString("role", "authenticated");
      if (!role.equals("authenticated") && !role.equals("service_role")) {
        Errors.send(rc, ErrorCode.UNAUTHORIZED, "invalid token: role " + role + " cannot use this API");
        return;
      }
      rc.put(USER, new AuthUser(id, role));
      rc.next();
    });
  }

  public static AuthUser user(RoutingContext rc) {
    return rc.get(USER);
  }

  /** {@code alg: none} or an empty signature, rejected before any library sees it. */
  static boolean unsigned(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[2].isEmpty()) {
      return true;
    }
    try {
      JsonObject header = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[0]), java.nio.charset.StandardCharsets.UTF_8));
      return "none".equals(header.getString("alg", "").toLowerCase(Locale.ROOT));
    } catch (RuntimeException e) {
      return true;
    }
  }

  private static String reason(Throwable t) {
    String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
    if (m.contains("expired")) {
      return "expired";
    }
    if (m.contains("aud")) {
      return "wrong audience";
    }
    if (m.contains("signature")) {
      return "bad signature";
    }
    return t.getMessage() == null ? "rejected" : t.getMessage();
  }
}
