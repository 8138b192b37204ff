package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JwtClaimsTest {
  private static final long NOW = 1_800_000_000L;
  private static final String SUB = UUID.randomUUID().toString();

  private static JsonObject claims() {
    return new JsonObject().put("sub", SUB).put("aud", "authenticated").put("iat", NOW - 10).put("exp", NOW + 3600);
  }

  private static JwtClaims.Token token(JsonObject header, JsonObject payload) {
    return new JwtClaims.Token(header, payload);
  }

  private static final JsonObject HS256 = new JsonObject().put("alg", "HS256");

  @Test
  void goodClaimsPass() {
    assertThat(JwtClaims.claimProblem(claims(), "authenticated", false, NOW)).isEmpty();
    assertThat(JwtClaims.claimProblem(claims().put("aud", new JsonArray().add("x").add("authenticated")), "authenticated", false, NOW)).isEmpty();
  }

  @Test
  void wrongTypesAreFormProblemsBeforeAnySignatureCheck() {
    assertThat(JwtClaims.formProblem("a.b.c", token(HS256, claims().put("exp", "tomorrow")))).contains("exp must be a NumericDate (seconds since 1970)");
    assertThat(JwtClaims.formProblem("a.b.c", token(HS256, claims().put("nbf", new JsonObject())))).contains("nbf must be a NumericDate (seconds since 1970)");
    assertThat(JwtClaims.formProblem("a.b.c", token(HS256, claims().put("aud", 42)))).contains("aud must be a string or a list of strings");
    assertThat(JwtClaims.formProblem("a.b.c", token(HS256, claims().put("aud", new JsonArray().add(1))))).contains("aud must be a string or a list of strings");
    assertThat(JwtClaims.formProblem("a.b.c", token(HS256, claims()))).isEmpty();
  }

  @Test
  void unsignedAndCriticalHeadersAreRefused() {
    assertThat(JwtClaims.formProblem("a.b.", token(HS256, claims()))).contains("unsigned tokens are not accepted");
    assertThat(JwtClaims.formProblem("a.b.c", token(new JsonObject().put("alg", "none"), claims()))).contains("unsigned tokens are not accepted");
    assertThat(JwtClaims.formProblem("a.b.c", token(HS256.copy().put("crit", new JsonArray().add("b64")), claims()))).get().asString().startsWith("unsupported critical header");
  }

  @Test
  void expiryIsRequiredUnlessAllowed() {
    JsonObject noExp = claims();
    noExp.remove("exp");
    assertThat(JwtClaims.claimProblem(noExp, "authenticated", false, NOW)).contains("the token has no expiry (exp)");
    assertThat(JwtClaims.claimProblem(noExp, "authenticated", true, NOW)).isEmpty();
  }

  @Test
  void timeRulesHaveTheirOwnWordsWithFiveSecondsLeeway() {
    assertThat(JwtClaims.claimProblem(claims().put("exp", NOW - 5), "authenticated", false, NOW)).contains("expired");
    assertThat(JwtClaims.claimProblem(claims().put("exp", NOW - 4), "authenticated", false, NOW)).isEmpty();
    assertThat(JwtClaims.claimProblem(claims().put("nbf", NOW + 60), "authenticated", false, NOW)).contains("not yet valid (nbf is in the future)");
    assertThat(JwtClaims.claimProblem(claims().put("nbf", NOW + 5), "authenticated", false, NOW)).isEmpty();
    assertThat(JwtClaims.claimProblem(claims().put("iat", NOW + 60), "authenticated", false, NOW)).contains("issued in the future (iat)");
  }

  @Test
  void audienceAndSubjectMustBeOurs() {
    assertThat(JwtClaims.claimProblem(claims().put("aud", "anon"), "authenticated", false, NOW)).contains("wrong audience");
    assertThat(JwtClaims.claimProblem(claims().put("sub", "1-1-1-1-1"), "authenticated", false, NOW)).contains("the subject (sub) must be a user id (a UUID)");
  }
}
