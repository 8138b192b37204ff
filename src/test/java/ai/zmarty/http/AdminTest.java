package ai.zmarty.http;

import ai.zmarty.Wiring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Sql;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class AdminTest {

  @Test
  void aServiceRoleTopsUpOncePerIdempotencyKeyAndUsersCannot(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.api(vertx, dbs, Map.of());
    int port = node.port();
    WebClient client = node.client();
    UUID user = Users.create(dbs.chat(), "free", 10);
    String admin = TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(UUID.randomUUID()).put("role", "service_role"));
    JsonObject body = new JsonObject().put("user_id", user.toString()).put("amount", 500).put("reason", "support refund #42");

    HttpResponse<Buffer> first = client.post(port, "127.0.0.1", "/admin/credits").putHeader("Authorization", "Bearer " + admin).putHeader("Idempotency-Key", "k-1")
        .sendJsonObject(body).await(10, TimeUnit.SECONDS);
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.bodyAsJsonObject().getLong("balance")).isEqualTo(510);
    HttpResponse<Buffer> again = client.post(port, "127.0.0.1", "/admin/credits").putHeader("Authorization", "Bearer " + admin).putHeader("Idempotency-Key", "k-1")
        .sendJsonObject(body).await(10, TimeUnit.SECONDS);
    assertThat(again.bodyAsJsonObject().getLong("balance")).isEqualTo(510);
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + user + "' and reason = 'support refund #42'")).isEqualTo(1);

    HttpResponse<Buffer> asUser = client.post(port, "127.0.0.1", "/admin/credits").putHeader("Authorization", "Bearer " + TestJwt.valid(user))
        .sendJsonObject(body).await(10, TimeUnit.SECONDS);
    assertThat(asUser.statusCode()).isEqualTo(403);
    assertThat(asUser.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");

    HttpResponse<Buffer> bad = client.post(port, "127.0.0.1", "/admin/credits").putHeader("Authorization", "Bearer " + admin)
        .sendJsonObject(new JsonObject().put("user_id", user.toString()).put("amount", -5).put("reason", "x")).await(10, TimeUnit.SECONDS);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(510);
  }

  @Test
  void amountsMustBeWholeNumbersUpToTheMaximumAndReasonsStorable(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Wiring w = TestNode.start(vertx, dbs.config(Map.of("ROLES", "api")), dbs.chat(), dbs.trading()).wiring();
    int port = w.httpPort().orElseThrow();
    WebClient client = WebClient.create(vertx);
    UUID user = Users.create(dbs.chat(), "free", 10);
    String admin = TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(UUID.randomUUID()).put("role", "service_role"));
    // 2^64 + 5,000,000 (was granted as 5,000,000), 1.9 (was granted as 1), the maximum + 1, and text
    for (String amount : new String[] {"18446744073714551616", "1.9", "10000001", "0", "\"5\"", "1e400"}) {
      HttpResponse<Buffer> r = client.post(port, "127.0.0.1", "/admin/credits").putHeader("Authorization", "Bearer " + admin).putHeader("content-type", "application/json")
          .sendBuffer(Buffer.buffer("{\"user_id\":\"" + user + "\",\"amount\":" + amount + ",\"reason\":\"top-up\"}")).await(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(amount).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("message")).as(amount).contains("whole number of credits from 1 to 10,000,000");
    }
    HttpResponse<Buffer> nul = client.post(port, "127.0.0.1", "/admin/credits").putHeader("Authorization", "Bearer " + admin)
        .sendJsonObject(new JsonObject().put("user_id", user.toString()).put("amount", 5).put("reason", "refund\u0000#1")).await(10, TimeUnit.SECONDS);
    assertThat(nul.statusCode()).isEqualTo(400);
    assertThat(nul.bodyAsJsonObject().getString("message")).startsWith("reason contains a character that cannot be stored");
    HttpResponse<Buffer> max = client.post(port, "127.0.0.1", "/admin/credits").putHeader("Authorization", "Bearer " + admin)
        .sendJsonObject(new JsonObject().put("user_id", user.toString()).put("amount", 10_000_000).put("reason", "the most one grant may add")).await(10, TimeUnit.SECONDS);
    assertThat(max.statusCode()).isEqualTo(201);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(10_000_010);
  }
}
