package ai.zmarty.testing;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hand-made JWTs, so tests can build exactly the bad tokens an attacker would send. */
public final class TestJwt {
  public static final String SECRET = "test-secret-test-secret-test-secret-0123";

  private TestJwt() {}

  public static JsonObject claims(UUID user) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("sub", user.toString()).put("aud", "authenticated").put("role", "authenticated").put("iat", now).put("exp", now + 3600);
  }

  public static String hs256(String secret, JsonObject claims) {
    return hs256(secret, new JsonObject().put("alg", "HS256").put("typ", "JWT"), claims);
  }

  /** Signed with {@code secret} whatever {@code header} says (e.g. an unknown {@code crit}). */
  public static String hs256(String secret, JsonObject header, JsonObject claims) {
    String head = b64(header.encode());
    String body = b64(claims.encode());
    return head + "." + body + "." + signature(secret, head + "." + body);
  }

  public static String valid(UUID user) {
    return hs256(SECRET, claims(user));
  }

  public static String unsigned(JsonObject claims) {
    return b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode()) + "." + b64(claims.encode()) + ".";
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String signature(String secret, String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
