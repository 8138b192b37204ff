package ai.zmarty.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.auth.JWTOptions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * HS256 tokens shaped like Supabase Auth's ({@code sub}, {@code aud=authenticated},
 * {@code role=authenticated}), for local use and tests.
 */
public final class Tokens {
  public static final String AUDIENCE = "authenticated";
  public static final String ISSUER = "zmarty-local";

  private Tokens() {}

  public static JWTAuth hs256(Vertx vertx, String secret) {
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }

  public static String mint(JWTAuth auth, UUID user, String tier, Duration ttl) {
    return mint(auth, user, tier, ttl, false);
  }

  /** With {@code admin}, the user is an operator: {@code app_metadata.role} is {@code admin} (the admin dashboard's bridge accepts it). */
  public static String mint(JWTAuth auth, UUID user, String tier, Duration ttl, boolean admin) {
    JsonObject meta = new JsonObject().put("tier", tier);
    if (admin) {
      meta.put("role", "admin");
    }
    JsonObject claims =
        new JsonObject().put("role", "authenticated").put("tier", tier).put("app_metadata", meta).put("is_anonymous", false);
    JWTOptions options =
        new JWTOptions().setAlgorithm("HS256").setSubject(user.toString()).setAudience(List.of(AUDIENCE)).setIssuer(ISSUER).setExpiresInSeconds((int) ttl.toSeconds());
    return auth.generateToken(claims, options);
  }
}
