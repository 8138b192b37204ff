package ai.zmarty.http;

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
}
