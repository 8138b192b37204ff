package ai.zmarty.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node with every role: GET /admin/health (service role) and the scheduler's bus address {@code ops.nightly.run}. */
class OpsRoleTest {
  static Vertx vertx;
  static TestDatabases.Pair dbs;
  static TestNode node;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    dbs = TestDatabases.migrated();
    // schedules that do not fire while the test runs (the retired SCHEDULER_*_EVERY this test once set
    // were ignored, leaving the defaults; they are refused now)
    node = TestNode.all(vertx, dbs, Map.of("SCHEDULER_INGEST_CRON", "0 0 1 1 *", "SCHEDULER_WINRATE_CRON", "0 0 1 1 *", "NIGHTLY_CRON", "0 3 1 1 *"));
  }

  @AfterAll
  static void tearDown() {
    vertx.close().await();
  }

  @Test
  void adminHealthIsTheSevenChecksForTheServiceRoleOnly() throws Exception {
    String admin = TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(UUID.randomUUID()).put("role", "service_role"));
    HttpResponse<Buffer> r = node.client().get(node.port(), "127.0.0.1", "/admin/health").putHeader("Authorization", "Bearer " + admin).send().await(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    SystemHealth health = SystemHealth.fromJson(r.bodyAsJsonObject());
    assertThat(health.checks()).extracting(SystemHealth.Check::name).containsExactly("database_a", "database_b", "schema", "market_data", "freshness", "integrity", "api");
    assertThat(health.status()).isEqualTo(Status.HEALTHY);
    assertThat(health.checks().get(6).details().getString("url")).isEqualTo("http://127.0.0.1:" + node.port() + "/healthz");

    HttpResponse<Buffer> asUser = node.client().get(node.port(), "127.0.0.1", "/admin/health").putHeader("Authorization", "Bearer " + TestJwt.valid(UUID.randomUUID())).send().await(30, TimeUnit.SECONDS);
    assertThat(asUser.statusCode()).isEqualTo(403);
    assertThat(asUser.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
  }

  @Test
  void theSchedulersAddressRunsTheNightlyAndRefusesASecondRunWithConflict() throws Exception {
    DeliveryOptions slow = new DeliveryOptions().setSendTimeout(180_000);
    Future<Message<JsonObject>> first = vertx.eventBus().<JsonObject>request(Addresses.OPS_NIGHTLY_RUN, new JsonObject().put("trigger", "cron"), slow);
    Future<Message<JsonObject>> second = vertx.eventBus().<JsonObject>request(Addresses.OPS_NIGHTLY_RUN, new JsonObject().put("trigger", "cron"), slow);
    Future.join(first, second).otherwiseEmpty().await(3, TimeUnit.MINUTES);
    assertThat(List.of(first.succeeded(), second.succeeded())).containsExactlyInAnyOrder(true, false);
    JsonObject summary = (first.succeeded() ? first : second).result().body();
    ReplyException refused = (ReplyException) (first.failed() ? first : second).cause();
    assertThat(summary.getString("status")).isEqualTo("success");
    assertThat(summary.getString("trigger")).isEqualTo("cron");
    assertThat(refused.failureCode()).isEqualTo(ErrorCode.CONFLICT.failureCode());
    assertThat(refused.getMessage()).contains("run " + summary.getString("run_id") + " on node ");
    assertThat(Sql.column(dbs.trading(), "select status || ' ' || trigger from public.pipeline_runs")).containsExactly("success cron");

    // exported for Prometheus from the stored run: 1 for its status, 0 for the others, and when it ended
    String scrape = node.client().get(node.port(), "127.0.0.1", "/metrics").send().await(30, TimeUnit.SECONDS).bodyAsString();
    assertThat(scrape).contains("zmarty_nightly_last_status{status=\"success\"} 1.0").contains("zmarty_nightly_last_status{status=\"partial\"} 0.0").contains("zmarty_nightly_last_status{status=\"failed\"} 0.0");
    double ended = Double.parseDouble(Sql.column(dbs.trading(), "select extract(epoch from finished_at) from public.pipeline_runs").get(0));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^zmarty_nightly_last_run_timestamp_seconds (\\S+)$").matcher(scrape);
    assertThat(m.find()).as(scrape).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isCloseTo(ended, org.assertj.core.data.Offset.offset(0.01));
  }
}
