package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.RawConfig;
import ai.zmarty.config.ZmartyConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Supabase's asymmetric tokens: ES256 keys published at a JWKS URL (here a local server). */
@ExtendWith(VertxExtension.class)
class JwksTest {

  private static KeyPair ecKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static String b64(BigInteger n) {
    byte[] raw = n.toByteArray();
    byte[] fixed = new byte[32];
    int from = Math.max(0, raw.length - 32);
    System.arraycopy(raw, from, fixed, 32 - (raw.length - from), raw.length - from);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
  }

  private static JsonObject jwk(KeyPair pair, String kid) {
    ECPublicKey pub = (ECPublicKey) pair.getPublic();
    return new JsonObject().put("kty", "EC").put("crv", "P-256").put("alg", "ES256").put("use", "sig").put("kid", kid)
        .put("x", b64(pub.getW().getAffineX())).put("y", b64(pub.getW().getAffineY()));
  }

  private static String es256(Vertx vertx, KeyPair pair, String kid, UUID sub) {
    String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(pem).setId(kid)));
    return signer.generateToken(new JsonObject().put("role", "authenticated"),
        new JWTOptions().setAlgorithm("ES256").setSubject(sub.toString()).setAudience(List.of("authenticated")).setExpiresInSeconds(600));
  }

  @Test
  void tokensSignedWithAPublishedKeyPassAndOthersDoNot(Vertx vertx) throws Exception {
    KeyPair published = ecKey();
    KeyPair unknown = ecKey();
    HttpServer jwks = vertx.createHttpServer().requestHandler(req -> req.response().putHeader("content-type", "application/json")
        .end(new JsonObject().put("keys", new JsonArray().add(jwk(published, "k1"))).encode())).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);

    ZmartyConfig config = ZmartyConfig.from(RawConfig.load(Map.of(
        "JWT_SECRET", "test-secret-test-secret-test-secret-0123",
        "JWT_JWKS_URL", "http://127.0.0.1:" + jwks.actualPort() + "/auth/v1/.well-known/jwks.json")));
    Authenticator auth = new Authenticator(vertx, config.auth(), "test-secret-test-secret-test-secret-0123");
    auth.start().await(5, TimeUnit.SECONDS);

    Router router = Router.router(vertx);
    router.route("/me").handler(auth::handle).handler(rc -> rc.json(new JsonObject().put("user", Authenticator.user(rc).id().toString())));
    HttpServer api = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
    WebClient client = WebClient.create(vertx);

    UUID user = UUID.randomUUID();
    HttpResponse<Buffer> ok = client.get(api.actualPort(), "127.0.0.1", "/me").putHeader("Authorization", "Bearer " + es256(vertx, published, "k1", user)).send().await(5, TimeUnit.SECONDS);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.bodyAsJsonObject().getString("user")).isEqualTo(user.toString());

    HttpResponse<Buffer> bad = client.get(api.actualPort(), "127.0.0.1", "/me").putHeader("Authorization", "Bearer " + es256(vertx, unknown, "k1", user)).send().await(5, TimeUnit.SECONDS);
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
  }
}
