package ai.zmarty.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /admin/cron} and {@code POST /admin/cron/{job}/run} on the in-app path (no pg_cron). */
@ExtendWith(VertxExtension.class)
class AdminCronTest {
  private static final String ADMIN = TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(UUID.randomUUID()).put("role", "service_role"));

  private static HttpResponse<Buffer> call(TestNode node, String method, String path, String token) {
    var request = "GET".equals(method) ? node.client().get(node.port(), "127.0.0.1", path) : node.client().post(node.port(), "127.0.0.1", path);
    try {
      return request.putHeader("Authorization", "Bearer " + token).send().await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(method + " " + path + " did not answer within 10 s", e);
    }
  }

  private static JsonObject job(HttpResponse<Buffer> cron, String name) {
    return cron.bodyAsJsonObject().getJsonArray("jobs").stream().map(JsonObject.class::cast).filter(j -> name.equals(j.getString("job"))).findFirst().orElseThrow();
  }

  @Test
  void listsTheJobsAndRunsOneNowWith409WhileItRunsAnd404ForAnUnknownJob(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    List<Message<JsonObject>> held = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.OPS_NIGHTLY_RUN, held::add).completion().await(5, TimeUnit.SECONDS);
    TestNode node = TestNode.all(vertx, dbs, Map.of("ROLES", "api,ops", "SCHEDULER_INGEST_CRON", "0 3 1 1 *", "SCHEDULER_WINRATE_CRON", "0 3 1 1 *",
        // the default nightly (03:00 New York) stays, so its slot of the last hour is not caught up at start: between 08:00 and 09:00 UTC it ran and made this test's run a conflict
        "SCHEDULER_CATCH_UP", "0s"));

    HttpResponse<Buffer> list = call(node, "GET", "/admin/cron", ADMIN);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.bodyAsJsonObject().getJsonArray("jobs")).hasSize(3);
    JsonObject nightly = job(list, "nightly");
    assertThat(nightly.getString("expression")).isEqualTo("0 3 * * *");
    assertThat(nightly.getString("zone")).isEqualTo("America/New_York");
    assertThat(nightly.getString("runner")).isEqualTo("app");
    assertThat(nightly.getString("address")).isEqualTo("ops.nightly.run");
    assertThat(nightly.getJsonArray("next")).hasSize(3);
    for (Object o : nightly.getJsonArray("next")) {
      JsonObject t = (JsonObject) o;
      OffsetDateTime local = OffsetDateTime.parse(t.getString("local"));
      assertThat(local.toInstant()).isEqualTo(Instant.parse(t.getString("utc")));
      assertThat(local.toLocalTime()).hasToString("03:00");
      assertThat(local.getOffset()).isEqualTo(ZoneId.of("America/New_York").getRules().getOffset(local.toInstant()));
    }
    assertThat(job(list, "ingest_indicators").getString("zone")).isEqualTo("Z");
    assertThat(job(list, "compute_winrate").getJsonArray("runs")).isEmpty();

    HttpResponse<Buffer> winrate = call(node, "POST", "/admin/cron/compute_winrate/run", ADMIN);
    assertThat(winrate.statusCode()).isEqualTo(200);
    assertThat(winrate.bodyAsJsonObject().getInteger("messages")).isEqualTo(1);
    assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.q_compute_winrate")).isEqualTo(1);

    HttpResponse<Buffer> started = call(node, "POST", "/admin/cron/nightly/run", ADMIN);
    assertThat(started.statusCode()).isEqualTo(202);
    assertThat(started.bodyAsJsonObject().getString("status")).isEqualTo("running");
    Eventually.await(Duration.ofSeconds(10), "the nightly request arrived", () -> held.size() == 1);
    assertThat(held.get(0).body().getString("trigger")).isEqualTo("manual");
    HttpResponse<Buffer> again = call(node, "POST", "/admin/cron/nightly/run", ADMIN);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getString("error")).isEqualTo("conflict");
    assertThat(again.bodyAsJsonObject().getString("message")).contains("nightly is still running").contains("manual");
    assertThat(job(call(node, "GET", "/admin/cron", ADMIN), "nightly").getJsonArray("runs").getJsonObject(0).getString("status")).isEqualTo("running");

    held.get(0).reply(new JsonObject().put("status", "success"));
    Eventually.await(Duration.ofSeconds(10), "the run is recorded as succeeded", () -> "succeeded".equals(job(call(node, "GET", "/admin/cron", ADMIN), "nightly").getJsonArray("runs").getJsonObject(0).getString("status")));
    JsonObject run = job(call(node, "GET", "/admin/cron", ADMIN), "nightly").getJsonArray("runs").getJsonObject(0);
    assertThat(run.getString("trigger")).isEqualTo("manual");
    assertThat(run.getLong("duration_ms")).isGreaterThanOrEqualTo(0);
    assertThat(run.getJsonObject("result").getString("status")).isEqualTo("success");

    HttpResponse<Buffer> unknown = call(node, "POST", "/admin/cron/nope/run", ADMIN);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    assertThat(unknown.bodyAsJsonObject().getString("message")).contains("unknown job 'nope'");
    HttpResponse<Buffer> asUser = call(node, "GET", "/admin/cron", TestJwt.valid(UUID.randomUUID()));
    assertThat(asUser.statusCode()).isEqualTo(403);
    assertThat(asUser.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
  }
}
