package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.sync.WatchersUpsertHook;
import ai.zmarty.sync.WebhookSignature;
import ai.zmarty.testing.ApiFixture;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.Users;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11 §6 at the edge: a request body that breaks its contract (docs/openapi.yaml →
 * docs/contracts) is answered 400 {@code {"error": "bad_request", "message", "fields": [{field,
 * problem}]}} naming EACH bad field, before the route does anything (no ledger row, no watched pair);
 * token and role checks still come first; the signed sync receiver checks the signature first.
 */
class EdgeValidationTest {
  private static final String SECRET = "edge-validation-secret-edge-validation-01";

  @RegisterExtension
  static final ApiFixture fixture = new ApiFixture(Map.of("WEBHOOK_SECRET", SECRET, "OFFLINE_PACE", "0ms"));

  private final TestDatabases.Pair dbs = fixture.dbs();
  private final WebClient client = fixture.api().client();
  private final int port = fixture.api().port();

  private HttpResponse<Buffer> post(String path, String token, Object body) throws Exception {
    return client.post(port, "127.0.0.1", path).putHeader("Authorization", "Bearer " + token).putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(body.toString())).await(10, TimeUnit.SECONDS);
  }

  private static List<String> fields(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonArray("fields", new JsonArray()).stream().map(f -> ((JsonObject) f).getString("field")).toList();
  }

  private static void assertInvalid(HttpResponse<Buffer> r, String... fields) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("error")).isEqualTo("bad_request");
    assertThat(fields(r)).containsExactly(fields);
    for (Object f : body.getJsonArray("fields")) {
      assertThat(body.getString("message")).contains(((JsonObject) f).getString("problem"));
    }
  }

  @Test
  void aChatWithThreeBadFieldsNamesEachAndCostsNothing() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 100);
    HttpResponse<Buffer> r = post("/chat", TestJwt.valid(user), new JsonObject().put("message", 42).put("session_id", "not-a-session").put("mode", "song"));
    assertInvalid(r, "/message", "/session_id", "/mode");
    assertThat(r.bodyAsJsonObject().getJsonArray("fields").getJsonObject(2).getString("problem")).isEqualTo("mode must be \"text\" or \"voice\"");
    assertInvalid(post("/chat/estimate", TestJwt.valid(user), new JsonObject().put("message", "   ")), "/message");
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + user + "'")).isEqualTo(1);
    assertThat(Sql.count(dbs.chat(), "select count(*) from chat_sessions where user_id = '" + user + "'")).isZero();
    // a good body still gets its answer
    HttpResponse<Buffer> ok = post("/chat", TestJwt.valid(user), new JsonObject().put("message", "What's the signal for BTC?").put("mode", "text"));
    assertThat(ok.statusCode()).as(ok.bodyAsString()).isEqualTo(200);
  }

  @Test
  void aPairWithTwoBadFieldsIsRefusedAndNothingIsWatched() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 0);
    assertInvalid(post("/symbols", TestJwt.valid(user), new JsonObject().put("symbol", 5).put("timeframe", "2h")), "/symbol", "/timeframe");
    assertInvalid(post("/symbols", TestJwt.valid(user), new JsonObject()), "/symbol");
    assertThat(Sql.count(dbs.chat(), "select count(*) from user_symbols where user_id = '" + user + "'")).isZero();
    // the route's own rules still speak after the contract (BASE/QUOTE)
    HttpResponse<Buffer> base = post("/symbols", TestJwt.valid(user), new JsonObject().put("symbol", "BTC").put("timeframe", "1h"));
    assertThat(base.statusCode()).isEqualTo(400);
    assertThat(base.bodyAsJsonObject().getString("message")).contains("BASE/QUOTE");
  }

  @Test
  void anAdminGrantWithThreeBadFieldsNamesEachButTheRoleIsCheckedFirst() throws Exception {
    UUID user = Users.create(dbs.chat(), "free", 10);
    String admin = TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(UUID.randomUUID()).put("role", "service_role"));
    JsonObject bad = new JsonObject().put("user_id", "someone").put("amount", 2.5).put("reason", "");
    assertInvalid(post("/admin/credits", admin, bad), "/user_id", "/amount", "/reason");
    HttpResponse<Buffer> asUser = post("/admin/credits", TestJwt.valid(user), bad);
    assertThat(asUser.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> noToken = client.post(port, "127.0.0.1", "/admin/credits").sendJsonObject(bad).await(10, TimeUnit.SECONDS);
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(10);
    assertThat(post("/admin/credits", admin, new JsonObject().put("user_id", user.toString()).put("amount", 5).put("reason", "top-up")).statusCode()).isEqualTo(201);
  }

  @Test
  void notJsonIsStill400WithTheOneErrorShape() throws Exception {
    HttpResponse<Buffer> r = post("/symbols", TestJwt.valid(Users.create(dbs.chat(), "pro", 0)), "{not json");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    assertThat(r.bodyAsJsonObject().getString("message")).isEqualTo("the body is not a JSON object");
  }

  @Test
  void theSyncReceiverChecksTheSignatureThenTheContract() throws Exception {
    String body = new JsonObject().put("event_id", "nope").put("type", "UPSERT").put("table", "user_symbols").put("schema", "public").encode();
    HttpResponse<Buffer> unsigned = client.post(port, "127.0.0.1", WatchersUpsertHook.PATH).putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body)).await(10, TimeUnit.SECONDS);
    assertThat(unsigned.statusCode()).isEqualTo(401);
    String ts = Long.toString(Instant.now().getEpochSecond());
    String signature = new WebhookSignature(SECRET, Duration.ofMinutes(5)).sign(ts, body.getBytes(StandardCharsets.UTF_8));
    HttpResponse<Buffer> signed = client.post(port, "127.0.0.1", WatchersUpsertHook.PATH).putHeader("content-type", "application/json")
        .putHeader(WebhookSignature.TIMESTAMP_HEADER, ts).putHeader(WebhookSignature.SIGNATURE_HEADER, signature).sendBuffer(Buffer.buffer(body)).await(10, TimeUnit.SECONDS);
    assertInvalid(signed, "/event_id", "/type");
    assertThat(Sql.count(dbs.trading(), "select count(*) from sync_deliveries")).isZero();
  }
}
