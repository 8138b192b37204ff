package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TokensTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  @Test
  void mintedTokenCarriesSupabaseShapedClaims(Vertx vertx) throws Exception {
    JWTAuth auth = Tokens.hs256(vertx, SECRET);
    UUID id = UUID.randomUUID();
    String token = Tokens.mint(auth, id, "pro", Duration.ofHours(1));

    User user = auth.authenticate(new TokenCredentials(token)).await(5, TimeUnit.SECONDS);
    assertThat(user.principal().getString("sub")).isEqualTo(id.toString());
    assertThat(user.principal().getString("aud")).isEqualTo("authenticated");
    assertThat(user.principal().getString("role")).isEqualTo("authenticated");
    assertThat(user.principal().getString("tier")).isEqualTo("pro");
    JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    assertThat(payload.getLong("exp") - payload.getLong("iat")).isEqualTo(3600);
    assertThat(payload.getString("iss")).isEqualTo(Tokens.ISSUER);
  }

  @Test
  void aTokenSignedWithAnotherSecretIsRejected(Vertx vertx) throws Exception {
    String token = Tokens.mint(Tokens.hs256(vertx, SECRET), UUID.randomUUID(), "free", Duration.ofHours(1));
    var result = Tokens.hs256(vertx, "another-secret-another-secret-0000").authenticate(new TokenCredentials(token));
    assertThat(result.transform(ar -> io.vertx.core.Future.succeededFuture(ar.failed())).await(5, TimeUnit.SECONDS)).isTrue();
  }
}
