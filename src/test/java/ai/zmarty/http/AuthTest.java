package ai.zmarty.http;

import ai.zmarty.Wiring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every bad token gets 401 with a JSON error; a good one gets through. */
@ExtendWith(VertxExtension.class)
class AuthTest {
  private static TestDatabases.Pair dbs;
  private static UUID user;
  private WebClient client;
  private int port;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
    user = Users.create(dbs.chat(), "pro", 100);
  }

  @BeforeEach
  void api(Vertx vertx) throws Exception {
    TestNode node = TestNode.api(vertx, dbs, Map.of());
    port = node.port();
    client = node.client();
  }

  private HttpResponse<Buffer> credits(String token) throws Exception {
    var request = client.get(port, "127.0.0.1", "/credits");
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return request.send().await(10, TimeUnit.SECONDS);
  }

  private void assertUnauthorized(String token, String reason) throws Exception {
    HttpResponse<Buffer> r = credits(token);
    assertThat(r.statusCode()).as(reason).isEqualTo(401);
    assertThat(r.getHeader("content-type")).startsWith("application/json");
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("error")).isEqualTo("unauthorized");
    assertThat(body.getString("message")).isNotBlank();
  }

  @Test
  void aValidTokenGetsThrough() throws Exception {
    HttpResponse<Buffer> r = credits(TestJwt.valid(user));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getLong("balance")).isEqualTo(100);
  }

  @Test
  void noTokenIsRejected() throws Exception {
    assertUnauthorized(null, "no Authorization header");
  }

  @Test
  void algNoneIsRejected() throws Exception {
    assertUnauthorized(TestJwt.unsigned(TestJwt.claims(user)), "alg none");
  }

  @Test
  void aBadSignatureIsRejected() throws Exception {
    assertUnauthorized(TestJwt.hs256("another-secret-another-secret-another!", TestJwt.claims(user)), "wrong secret");
    String good = TestJwt.valid(user);
    String tampered = good.substring(0, good.lastIndexOf('.') + 1) + "AAAA" + good.substring(good.lastIndexOf('.') + 5);
    assertUnauthorized(tampered, "tampered signature");
  }

  @Test
  void anExpiredTokenIsRejected() throws Exception {
    long past = Instant.now().getEpochSecond() - 3600;
    assertUnauthorized(TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(user).put("iat", past - 60).put("exp", past)), "expired");
  }

  @Test
  void aTokenAcceptedBeforeIsRefusedOnceItExpires() throws Exception {
    long now = Instant.now().getEpochSecond();
    String token = TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(user).put("iat", now - 60).put("exp", now + 1));
    assertThat(credits(token).statusCode()).isEqualTo(200);
    assertThat(credits(token).statusCode()).as("the second use, its signature not checked again").isEqualTo(200);
    ai.zmarty.testing.Eventually.await(java.time.Duration.ofSeconds(20), "the token refused once past its expiry and the 5 s leeway", () -> {
      try {
        return credits(token).statusCode() == 401;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertUnauthorized(token, "expired after it was accepted");
  }

  @Test
  void aWrongAudienceIsRejected() throws Exception {
    assertUnauthorized(TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(user).put("aud", "somebody-else")), "wrong aud");
  }

  @Test
  void aMissingSubjectIsRejected() throws Exception {
    JsonObject claims = TestJwt.claims(user);
    claims.remove("sub");
    assertUnauthorized(TestJwt.hs256(TestJwt.SECRET, claims), "no sub");
    assertUnauthorized(TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(user).put("sub", "not-a-uuid")), "sub not a uuid");
  }

  @Test
  void anAnonRoleIsRejected() throws Exception {
    assertUnauthorized(TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(user).put("role", "anon")), "anon role");
  }

  /** 401 whose message is ours: no library internals such as "Cannot invoke \"Object.hashCode()\"". */
  private void assertUnauthorizedSaying(String token, String fragment) throws Exception {
    HttpResponse<Buffer> r = credits(token);
    assertThat(r.statusCode()).as(fragment).isEqualTo(401);
    String message = r.bodyAsJsonObject().getString("message");
    assertThat(message).contains(fragment).doesNotContain("Cannot invoke", "hashCode", "Exception", "java.");
  }

  @Test
  void correctlySignedClaimsOfTheWrongTypeAre401NotA500() throws Exception {
    assertUnauthorizedSaying(TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(user).put("exp", "tomorrow")), "exp must be a NumericDate");
    assertUnauthorizedSaying(TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(user).put("nbf", new JsonObject())), "nbf must be a NumericDate");
    assertUnauthorizedSaying(TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(user).put("aud", 42)), "aud must be");
    assertUnauthorizedSaying(TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(user).putNull("aud")), "wrong audience");
    assertUnauthorizedSaying(TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(user).put("sub", 7)), "sub must be a string");
  }

  @Test
  void aTokenWithoutExpiryIsRefused() throws Exception {
    JsonObject claims = TestJwt.claims(user);
    claims.remove("exp");
    assertUnauthorizedSaying(TestJwt.hs256(TestJwt.SECRET, claims), "no expiry (exp)");
  }

  @Test
  void aTokenWithoutExpiryPassesWhereTheSettingAllowsIt(Vertx vertx) throws Exception {
    Wiring w = TestNode.start(vertx, dbs.config(Map.of("ROLES", "api", "JWT_ALLOW_NO_EXP", "true")), dbs.chat(), dbs.trading()).wiring();
    JsonObject claims = TestJwt.claims(user);
    claims.remove("exp");
    HttpResponse<Buffer> r = client.get(w.httpPort().orElseThrow(), "127.0.0.1", "/credits").putHeader("Authorization", "Bearer " + TestJwt.hs256(TestJwt.SECRET, claims)).send().await(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void anUnknownCriticalHeaderIsRefused() throws Exception {
    JsonObject header = new JsonObject().put("alg", "HS256").put("typ", "JWT").put("crit", new io.vertx.core.json.JsonArray().add("exp-ext")).put("exp-ext", true);
    assertUnauthorizedSaying(TestJwt.hs256(TestJwt.SECRET, header, TestJwt.claims(user)), "unsupported critical header");
  }

  @Test
  void aFutureNotBeforeIsNotYetValidRatherThanExpired() throws Exception {
    assertUnauthorizedSaying(TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(user).put("nbf", Instant.now().getEpochSecond() + 600)), "not yet valid");
    long past = Instant.now().getEpochSecond() - 3600;
    assertUnauthorizedSaying(TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(user).put("iat", past - 60).put("exp", past)), "expired");
  }

  @Test
  void aSubjectMustBeACanonicalUuid() throws Exception {
    assertUnauthorizedSaying(TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(user).put("sub", "1-1-1-1-1")), "must be a user id");
  }

  @Test
  void garbageIsRejected() throws Exception {
    assertUnauthorized("not.a.jwt", "garbage");
    assertUnauthorized("abc", "one part");
  }
}
