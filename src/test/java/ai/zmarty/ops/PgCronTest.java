package ai.zmarty.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.PgUrl;
import ai.zmarty.db.Migrations;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.PgCronServer;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * pg_cron for real: PostgreSQL 15 with Debian's pg_cron 1.4. The scheduler hands its zone-free SQL
 * jobs to {@code cron.schedule}; they fire at the next minute, enqueue one ingest message per
 * active pair, and {@code GET /admin/cron} shows their runs from {@code cron.job_run_details}; a run
 * that finds the job held is skipped; the zoned nightly stays in-app.
 */
@ExtendWith(VertxExtension.class)
class PgCronTest {
  private static PgCronServer server;
  private static TestDatabases.Pair dbs;

  @BeforeAll
  static void startPostgres15WithPgCron() throws Exception {
    server = PgCronServer.start();
    dbs = new TestDatabases.Pair(server.url("chat"), server.url("trading"));
    Migrations.apply(dbs.chat(), Migrations.Target.CHAT);
    Migrations.apply(dbs.trading(), Migrations.Target.TRADING);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static JsonObject job(JsonObject cron, String name) {
    return cron.getJsonArray("jobs").stream().map(JsonObject.class::cast).filter(j -> name.equals(j.getString("job"))).findFirst().orElseThrow();
  }

  @Test
  void zoneFreeJobsRunOnPgCronAndAdminCronShowsTheirRuns(Vertx vertx) throws Exception {
    PgUrl b = dbs.trading();
    Sql.exec(b, "insert into watchers (user_id, symbol, timeframe, active) values (gen_random_uuid(), 'BTC/USDT', '1h', true),"
        + " (gen_random_uuid(), 'BTC/USDT', '1h', true), (gen_random_uuid(), 'ETH/USDT', '4h', true), (gen_random_uuid(), 'SOL/USDT', '1d', false)");
    // no worker role: nothing consumes the queues, so what pg_cron enqueued stays to be counted
    TestNode node = TestNode.start(vertx, dbs.config(Map.of("ROLES", "api,ops", "SCHEDULER_INGEST_CRON", "* * * * *", "SCHEDULER_WINRATE_CRON", "* * * * *", "NIGHTLY_CRON", "0 3 * * *")), dbs.chat(), b);

    Eventually.await(Duration.ofSeconds(20), "both jobs registered with cron.schedule", () -> Sql.count(b, "select count(*) from cron.job where jobname like 'zmarty_%'") == 2);
    assertThat(Sql.column(b, "select jobname || ' ' || schedule from cron.job order by jobname")).containsExactly("zmarty_compute_winrate * * * * *", "zmarty_ingest_indicators * * * * *");
    assertThat(Sql.one(b, "select command from cron.job where jobname = 'zmarty_ingest_indicators'")).startsWith("select public.scheduler_run('ingest_indicators',");

    // a run of compute_winrate holds the job (the advisory lock every run takes): pg_cron's run skips
    try (Connection holder = Sql.connect(b); Statement st = holder.createStatement()) {
      st.execute("select pg_advisory_lock(hashtext('zmarty_scheduler'), hashtext('compute_winrate'))");
      // pg_cron 1.4 fires at whole minutes: at most ~60 s away, plus its start-up, bounded at 130 s
      Eventually.await(Duration.ofSeconds(130), "pg_cron ran both jobs", () -> Sql.count(b, "select count(distinct jobid) from cron.job_run_details where status in ('succeeded', 'failed')") == 2);
      st.execute("select pg_advisory_unlock_all()");
    }
    assertThat(Sql.column(b, "select message::text from pgmq.q_ingest_indicators order by message->>'symbol'"))
        .containsExactly("{\"symbol\": \"BTC/USDT\", \"timeframe\": \"1h\"}", "{\"symbol\": \"ETH/USDT\", \"timeframe\": \"4h\"}");
    long winrateRuns = Sql.count(b, "select count(*) from cron.job_run_details d join cron.job j using (jobid) where j.jobname = 'zmarty_compute_winrate' and d.status = 'succeeded'");
    assertThat(Sql.count(b, "select count(*) from pgmq.q_compute_winrate")).isEqualTo(winrateRuns);
    assertThat(Sql.one(b, "select d.return_message from cron.job_run_details d join cron.job j using (jobid) where j.jobname = 'zmarty_compute_winrate' order by runid limit 1"))
        .contains("skipped: another run of compute_winrate is still running");
    assertThat(Sql.count(b, "select count(*) from scheduler_runs where job in ('ingest_indicators', 'compute_winrate')")).as("not run in-app as well").isZero();

    String admin = TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(UUID.randomUUID()).put("role", "service_role"));
    HttpResponse<Buffer> got = node.client().get(node.port(), "127.0.0.1", "/admin/cron").putHeader("Authorization", "Bearer " + admin).send().await(10, TimeUnit.SECONDS);
    assertThat(got.statusCode()).isEqualTo(200);
    JsonObject ingest = job(got.bodyAsJsonObject(), "ingest_indicators");
    assertThat(ingest.getString("runner")).isEqualTo("pg_cron");
    assertThat(ingest.getString("pg_cron_job")).isEqualTo("zmarty_ingest_indicators");
    assertThat(ingest.getJsonArray("next")).hasSize(3);
    JsonObject run = ingest.getJsonArray("runs").getJsonObject(0);
    assertThat(run.getString("source")).isEqualTo("pg_cron");
    assertThat(run.getString("status")).isEqualTo("succeeded");
    assertThat(run.getLong("duration_ms")).isNotNull().isGreaterThanOrEqualTo(0);
    JsonArray winrate = job(got.bodyAsJsonObject(), "compute_winrate").getJsonArray("runs");
    assertThat(winrate.stream().map(r -> ((JsonObject) r).getString("status")).collect(Collectors.toSet())).contains("skipped");
    JsonObject nightly = job(got.bodyAsJsonObject(), "nightly");
    assertThat(nightly.getString("runner")).as("a zoned schedule runs in-app even beside pg_cron").isEqualTo("app");
    assertThat(nightly.getString("zone")).isEqualTo("America/New_York");

    // a manual run goes through the same function: 409 while a pg_cron run of the job is running
    int pid;
    try (Connection busy = Sql.connect(b); Statement st = busy.createStatement()) {
      var rs = st.executeQuery("select pg_backend_pid()");
      rs.next();
      pid = rs.getInt(1);
      Sql.exec(b, "insert into cron.job_run_details (jobid, runid, job_pid, database, username, command, status, start_time)"
          + " select jobid, 999999, " + pid + ", 'trading', 'postgres', command, 'running', now() from cron.job where jobname = 'zmarty_compute_winrate'");
      HttpResponse<Buffer> conflict = node.client().post(node.port(), "127.0.0.1", "/admin/cron/compute_winrate/run").putHeader("Authorization", "Bearer " + admin).send().await(10, TimeUnit.SECONDS);
      assertThat(conflict.statusCode()).isEqualTo(409);
      assertThat(conflict.bodyAsJsonObject().getString("error")).isEqualTo("conflict");
      assertThat(conflict.bodyAsJsonObject().getString("message")).contains("still running on pg_cron").contains("999999");
    }
    // its backend gone (a closed connection's backend exits a moment later), that run no longer blocks
    Eventually.await(Duration.ofSeconds(10), "the run's backend gone", () -> Sql.count(b, "select count(*) from pg_stat_activity where pid = " + pid) == 0);
    HttpResponse<Buffer> manual = node.client().post(node.port(), "127.0.0.1", "/admin/cron/compute_winrate/run").putHeader("Authorization", "Bearer " + admin).send().await(10, TimeUnit.SECONDS);
    assertThat(manual.statusCode()).isEqualTo(200);
    assertThat(manual.bodyAsJsonObject().getInteger("messages")).isEqualTo(1);
  }
}
