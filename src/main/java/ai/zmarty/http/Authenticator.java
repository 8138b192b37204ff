package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.config.ZmartyConfig.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.http.HttpResponseExpectation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the bearer token on every user route: HS256 with the shared secret, or Supabase's
 * asymmetric keys from a JWKS URL. Unsigned ({@code alg: none}), badly signed, malformed (claims of
 * the wrong type, an unknown {@code crit}), expired, not yet valid, expiry-less (unless
 * JWT_ALLOW_NO_EXP), wrong-audience or subject-less tokens answer 401 with a JSON error whose
 * message never carries the JWT library's own text.
 */
public final class Authenticator {
  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
  public static final String USER = "zmarty.user";
  private static final long JWKS_REFRESH_MS = 10 * 60 * 1000;
  /** Verified tokens kept (each its claims, under a kilobyte): a user's token is sent with every request. */
  static final int VERIFIED_MAX = 10_000;

  private final Vertx vertx;
  private final AuthConfig config;
  private final String secret;
  private volatile JWTAuth auth;
  private WebClient client;
  /**
   * Tokens whose form and signature passed, with their claims, the one used longest ago dropped
   * first; emptied when the signing keys change. A token seen again is not decoded or verified
   * again; its claims (expiry, audience, role) are checked again at every use.
   */
  private final Map<String, JsonObject> verified = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, JsonObject> eldest) {
      return size() > VERIFIED_MAX;
    }
  });

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
      verified.clear(); // a key may be gone: its tokens are verified again (and refused)
      log.info("loaded {} signing keys from {}", keys.size(), config.jwksUrl().get());
      return (Void) null;
    }).onFailure(err -> log.warn("cannot load JWKS from {}: {}", config.jwksUrl().get(), err.getMessage()));
  }

  private JWTAuthOptions options(List<JsonObject> jwks) {
    JWTAuthOptions options =
        new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
            // the library checks the signature; the claims (expiry, audience, subject) are checked by JwtClaims
            .setJWTOptions(new JWTOptions().setIgnoreExpiration(true).setLeeway((int) JwtClaims.LEEWAY_S));
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
    claims(header.substring(7).trim()).onComplete(ar -> {
      if (ar.failed()) {
        Errors.send(rc, ErrorCode.UNAUTHORIZED, ar.cause().getMessage());
        return;
      }
      JsonObject claims = ar.result();
      rc.put(USER, new AuthUser(UUID.fromString(claims.getString("sub")), claims.getString("role", "authenticated")));
      rc.next();
    });
  }

  /**
   * The claims of {@code token} once its form, signature and claims pass every rule of this class;
   * otherwise a failure whose message ("invalid token: …") can be shown to the caller. The claims
   * given are shared by every request with the token: read them, do not change them.
   */
  public Future<JsonObject> claims(String token) {
    JsonObject known = verified.get(token);
    if (known != null) {
      return accepted(known);
    }
    JWTAuth keys = auth;
    Optional<JwtClaims.Token> decoded = JwtClaims.decode(token);
    if (decoded.isEmpty()) {
      return Future.failedFuture("invalid token: not a signed JWT (header.payload.signature)");
    }
    Optional<String> form = JwtClaims.formProblem(token, decoded.get());
    if (form.isPresent()) {
      return Future.failedFuture("invalid token: " + form.get());
    }
    Future<User> signed;
    try {
      signed = keys.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      signed = Future.failedFuture(e);
    }
    return signed.transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture("invalid token: " + reason(ar.cause()));
      }
      JsonObject claims = decoded.get().payload();
      Future<JsonObject> accepted = accepted(claims);
      if (accepted.succeeded() && auth == keys) {
        verified.put(token, claims);
      }
      return accepted;
    });
  }

  /** The claims of a token whose signature passed, when they pass now (expiry, audience, subject, role). */
  private Future<JsonObject> accepted(JsonObject claims) {
    Optional<String> problem = JwtClaims.claimProblem(claims, config.audience(), config.allowNoExp(), System.currentTimeMillis() / 1000);
    if (problem.isPresent()) {
      return Future.failedFuture("invalid token: " + problem.get());
    }
    String role = claims.getString("role", "authenticated");
    if (!role.equals("authenticated") && !role.equals("service_role")) {
      return Future.failedFuture("invalid token: role " + role + " cannot use this API");
    }
    return Future.succeededFuture(claims);
  }

  /**
   * The caller a bearer token names, or a failed future (an {@code UNAUTHORIZED} reply failure)
   * whose message says why it is refused ({@code invalid token: …}).
   */
  public Future<AuthUser> verify(String token) {
    return claims(token).transform(ar -> ar.succeeded()
        ? Future.succeededFuture(new AuthUser(UUID.fromString(ar.result().getString("sub")), ar.result().getString("role", "authenticated")))
        : Future.failedFuture(ErrorCode.UNAUTHORIZED.exception(ar.cause().getMessage())));
  }

  /**
   * Whether verified {@code claims} belong to an operator: a {@code service_role} token, or a user
   * whose {@code app_metadata.role} is {@code admin} (app_metadata is set by the server, never by
   * the user, in Supabase Auth).
   */
  public static boolean isOperator(JsonObject claims) {
    if ("service_role".equals(claims.getString("role"))) {
      return true;
    }
    return claims.getValue("app_metadata") instanceof JsonObject meta && "admin".equals(meta.getValue("role"));
  }

  public static AuthUser user(RoutingContext rc) {
    return rc.get(USER);
  }

  /** The library's verdict in our words: its own messages can carry its internals. */
  private static String reason(Throwable t) {
    String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
    if (t instanceof java.security.SignatureException || m.contains("signature")) {
      return "bad signature";
    }
    if (t instanceof NoSuchKeyIdException) {
      return "signed with an unknown key or algorithm";
    }
    return "rejected";
  }
}
