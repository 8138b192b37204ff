package ai.zmarty.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14: a change the receiver keeps refusing with a 4xx is dead after SYNC_MAX_ATTEMPTS
 * (visible to operators, retryable) instead of being sent forever; delivered rows are purged after
 * SYNC_RETENTION.
 */
@ExtendWith(VertxExtension.class)
class SyncDeadStateTest {
  private static final String ADMIN = TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(UUID.randomUUID()).put("role", "service_role"));

  @Test
  void whatEachAnswerMeans() {
    assertThat(DeliveryOutcome.of(200, 1, 3)).isEqualTo(DeliveryOutcome.DELIVERED);
    assertThat(DeliveryOutcome.of(400, 1, 3)).isEqualTo(DeliveryOutcome.DEAD);
    assertThat(DeliveryOutcome.of(422, 1, 3)).isEqualTo(DeliveryOutcome.DEAD);
    assertThat(DeliveryOutcome.of(401, 2, 3)).isEqualTo(DeliveryOutcome.RETRY);
    assertThat(DeliveryOutcome.of(401, 3, 3)).isEqualTo(DeliveryOutcome.DEAD);
    assertThat(DeliveryOutcome.of(404, 3, 3)).isEqualTo(DeliveryOutcome.DEAD);
    assertThat(DeliveryOutcome.of(429, 99, 3)).as("rate limited: never dead").isEqualTo(DeliveryOutcome.RETRY);
    assertThat(DeliveryOutcome.of(503, 99, 3)).isEqualTo(DeliveryOutcome.RETRY);
    assertThat(DeliveryOutcome.of(0, 99, 3)).as("no answer").isEqualTo(DeliveryOutcome.RETRY);
  }

  @Test
  void aChangeRefusedWith401IsDeadAfterTheMaxAttemptsListedAndSentAgainOnRetry(Vertx vertx) throws Exception {
    AtomicInteger status = new AtomicInteger(401);
    AtomicInteger posts = new AtomicInteger();
    HttpServer receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      posts.incrementAndGet();
      req.response().setStatusCode(status.get()).putHeader("content-type", "application/json").end(new JsonObject().put("error", "x").put("message", "answer " + status.get()).encode());
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    TestDatabases.Pair dbs = TestDatabases.migrated();
    String event = UUID.randomUUID().toString();
    Sql.exec(dbs.chat(), "insert into sync_outbox (event_id, payload) values ('" + event + "', '{\"event_id\": \"" + event + "\", \"type\": \"INSERT\", \"table\": \"user_symbols\", \"schema\": \"public\"}'::jsonb)");
    TestNode node = TestNode.start(vertx, dbs.config(Map.of("ROLES", "api,ops", "WEBHOOK_URL", "http://127.0.0.1:" + receiver.actualPort() + "/hook",
        "WEBHOOK_SECRET", "dead-state-test-secret-dead-state-000001", "SYNC_MAX_ATTEMPTS", "3", "SYNC_BACKOFF_MAX", "1s", "SYNC_POLL", "200ms")), dbs.chat(), dbs.trading());

    Eventually.await(Duration.ofSeconds(30), "the row dead after 3 attempts", () -> Sql.count(dbs.chat(), "select count(*) from sync_outbox where refused_at is not null") == 1);
    assertThat(Sql.one(dbs.chat(), "select attempts || ' ' || last_error from sync_outbox")).startsWith("3 HTTP 401: ");
    assertThat(posts.get()).isEqualTo(3);

    HttpResponse<Buffer> listed = node.client().get(node.port(), "127.0.0.1", "/admin/sync").bearerTokenAuthentication(ADMIN).send().await(10, TimeUnit.SECONDS);
    assertThat(listed.statusCode()).as(listed.bodyAsString()).isEqualTo(200);
    JsonObject body = listed.bodyAsJsonObject();
    assertThat(body.getLong("dead")).isEqualTo(1);
    assertThat(body.getLong("pending")).isZero();
    JsonObject dead = body.getJsonArray("dead_rows").getJsonObject(0);
    assertThat(dead.getString("event_id")).isEqualTo(event);
    assertThat(dead.getInteger("attempts")).isEqualTo(3);
    assertThat(dead.getString("last_error")).startsWith("HTTP 401");
    // not sent again on its own
    Sql.exec(dbs.chat(), "update sync_outbox set next_attempt_at = now() - interval '1 hour'");
    long id = dead.getLong("id");

    status.set(200);
    HttpResponse<Buffer> retried = node.client().post(node.port(), "127.0.0.1", "/admin/sync/" + id + "/retry").bearerTokenAuthentication(ADMIN).send().await(10, TimeUnit.SECONDS);
    assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(200);
    assertThat(retried.bodyAsJsonObject().getString("status")).isEqualTo("pending");
    Eventually.await(Duration.ofSeconds(20), "the retried row delivered", () -> Sql.count(dbs.chat(), "select count(*) from sync_outbox where delivered_at is not null") == 1);
    assertThat(posts.get()).isEqualTo(4);

    HttpResponse<Buffer> again = node.client().post(node.port(), "127.0.0.1", "/admin/sync/" + id + "/retry").bearerTokenAuthentication(ADMIN).send().await(10, TimeUnit.SECONDS);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getString("message")).contains("not dead (delivered)");
    HttpResponse<Buffer> unknown = node.client().post(node.port(), "127.0.0.1", "/admin/sync/987654/retry").bearerTokenAuthentication(ADMIN).send().await(10, TimeUnit.SECONDS);
    assertThat(unknown.statusCode()).isEqualTo(404);
    HttpResponse<Buffer> bad = node.client().post(node.port(), "127.0.0.1", "/admin/sync/x';--/retry").bearerTokenAuthentication(ADMIN).send().await(10, TimeUnit.SECONDS);
    assertThat(bad.statusCode()).isEqualTo(400);
    HttpResponse<Buffer> user = node.client().get(node.port(), "127.0.0.1", "/admin/sync").bearerTokenAuthentication(TestJwt.valid(UUID.randomUUID())).send().await(10, TimeUnit.SECONDS);
    assertThat(user.statusCode()).isEqualTo(403);
  }

  @Test
  void deliveredRowsArePurgedAfterTheRetentionAndDeadOnesKept(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    for (String row : new String[] {"now() - interval '8 days', null", "now() - interval '1 day', null", "null, now() - interval '30 days'"}) {
      String event = UUID.randomUUID().toString();
      Sql.exec(dbs.chat(), "insert into sync_outbox (event_id, payload, delivered_at, refused_at) values ('" + event + "', '{\"table\": \"user_symbols\", \"schema\": \"public\", \"record\": {\"id\": \"" + event + "\"}}'::jsonb, " + row + ")");
    }
    TestNode.start(vertx, dbs.config(Map.of("ROLES", "ops", "SYNC_RETENTION", "7d", "WEBHOOK_SECRET", "dead-state-test-secret-dead-state-000001")), dbs.chat(), dbs.trading());
    Eventually.await(Duration.ofSeconds(20), "the 8-day-old delivered row purged", () -> Sql.count(dbs.chat(), "select count(*) from sync_outbox") == 2);
    assertThat(Sql.column(dbs.chat(), "select (delivered_at is not null) || ' ' || (refused_at is not null) from sync_outbox order by id")).containsExactly("true false", "false true");
  }
}
