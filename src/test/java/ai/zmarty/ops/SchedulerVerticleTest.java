package ai.zmarty.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.config.PgUrl;
import ai.zmarty.config.SchedulerConfig;
import ai.zmarty.db.Pools;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-app schedules on two nodes (two Vert.x instances, one database B): one run per slot, leases, the nightly. */
class SchedulerVerticleTest {
  private static final UUID U1 = UUID.randomUUID();
  private static final UUID U2 = UUID.randomUUID();
  /** Never due in these tests: 1 January is more than a catch-up window away. */
  private static final String FAR = "0 3 1 1 *";

  private TestDatabases.Pair dbs;
  private PgUrl b;
  private final List<Vertx> nodes = new ArrayList<>();

  @BeforeEach
  void watchedPairs() {
    dbs = TestDatabases.migrated();
    b = dbs.trading();
    Sql.exec(
        b,
        "insert into watchers (user_id, symbol, timeframe, active) values"
            + " ('" + U1 + "', 'BTC/USDT', '1h', true), ('" + U2 + "', 'BTC/USDT', '1h', true),"
            + " ('" + U1 + "', 'ETH/USDT', '4h', true), ('" + U2 + "', 'SOL/USDT', '1d', false)");
  }

  @AfterEach
  void stopNodes() throws Exception {
    for (Vertx v : nodes) {
      v.close().await(10, TimeUnit.SECONDS);
    }
  }

  private SchedulerConfig config(String ingest, String winrate, String nightly, String... more) {
    Map<String, String> env = new HashMap<>(Map.of("SCHEDULER_INGEST_CRON", ingest, "SCHEDULER_WINRATE_CRON", winrate, "NIGHTLY_CRON", nightly));
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return dbs.config(env).scheduler();
  }

  private Vertx vertx() {
    Vertx vertx = Vertx.vertx();
    nodes.add(vertx);
    return vertx;
  }

  private SchedulerVerticle node(Vertx vertx, SchedulerConfig config) throws Exception {
    Pool pool = Pools.create(vertx, b, 2, "scheduler-" + nodes.size());
    SchedulerVerticle scheduler = new SchedulerVerticle(pool, config);
    vertx.deployVerticle(scheduler).await(10, TimeUnit.SECONDS);
    return scheduler;
  }

  private long runs(String job, String status) {
    return Sql.count(b, "select count(*) from scheduler_runs where job = '" + job + "' and status = '" + status + "'");
  }

  private long ingestMessages(String symbol, String timeframe) {
    return Sql.count(b, "select count(*) from pgmq.q_ingest_indicators where message = '{\"symbol\":\"" + symbol + "\",\"timeframe\":\"" + timeframe + "\"}'::jsonb");
  }

  @Test
  void twoNodesRunEachSlotExactlyOnce() throws Exception {
    SchedulerConfig config = config("* * * * * *", "*/2 * * * * *", FAR);
    SchedulerVerticle one = node(vertx(), config);
    SchedulerVerticle two = node(vertx(), config);

    Eventually.await(Duration.ofSeconds(20), "four ingest slots", () -> runs("ingest_indicators", "succeeded") >= 4);
    for (Vertx v : nodes) {
      v.close().await(10, TimeUnit.SECONDS);
    }
    nodes.clear();

    long ingestRuns = runs("ingest_indicators", "succeeded");
    long winrateRuns = runs("compute_winrate", "succeeded");
    assertThat(winrateRuns).isGreaterThanOrEqualTo(1);
    assertThat(Sql.count(b, "select count(*) from scheduler_runs where status <> 'succeeded' or job = 'nightly'")).isZero();
    // Each slot ran once, on one of the two nodes. The first enqueued one message per active pair;
    // nothing consumed them, so the later runs found them waiting and added none.
    assertThat(one.fired() + two.fired()).isEqualTo(ingestRuns + winrateRuns);
    assertThat(ingestMessages("BTC/USDT", "1h")).isEqualTo(1);
    assertThat(ingestMessages("ETH/USDT", "4h")).isEqualTo(1);
    assertThat(ingestMessages("SOL/USDT", "1d")).isZero();
    assertThat(Sql.column(b, "select messages from scheduler_runs where job = 'ingest_indicators' order by slot")).first().isEqualTo("2");
    assertThat(Sql.column(b, "select messages from scheduler_runs where job = 'ingest_indicators' order by slot offset 1")).containsOnly("0");
    assertThat(Sql.count(b, "select count(*) from pgmq.q_compute_winrate where message = '{}'::jsonb")).isEqualTo(winrateRuns);
    // slots are the fire times (whole seconds, epoch ms), consecutive: none skipped, none twice
    assertThat(Sql.count(b, "select count(*) from scheduler_runs where job = 'ingest_indicators' and slot % 1000 <> 0")).isZero();
    assertThat(Sql.count(b, "select (max(slot) - min(slot)) / 1000 + 1 from scheduler_runs where job = 'ingest_indicators'")).isEqualTo(ingestRuns);
    assertThat(Sql.count(b, "select count(*) from scheduler_runs where job = 'compute_winrate' and (slot / 1000) % 2 <> 0")).isZero();
  }

  @Test
  void aSlotAlreadyTakenIsNotRunAgainByALateNode() throws Exception {
    // daily at midnight UTC with a day's catch-up: the latest slot is always due to a fresh node
    SchedulerConfig config = config("0 0 * * *", "0 0 * * *", FAR, "SCHEDULER_CATCH_UP", "1d");
    node(vertx(), config);
    Eventually.await(Duration.ofSeconds(10), "first node ran", () -> runs("ingest_indicators", "succeeded") == 1 && runs("compute_winrate", "succeeded") == 1);
    SchedulerVerticle late = node(vertx(), config);
    Eventually.await(Duration.ofSeconds(10), "the late node claimed both jobs' slots", () -> late.claims() >= 2);
    assertThat(late.fired()).isZero();
    assertThat(Sql.count(b, "select count(*) from pgmq.q_ingest_indicators")).isEqualTo(2);
    assertThat(Sql.count(b, "select count(*) from pgmq.q_compute_winrate")).isEqualTo(1);
  }

  @Test
  void theNightlyWithoutAConsumerIsAFailedRunSayingSo() throws Exception {
    node(vertx(), config(FAR, FAR, "*/2 * * * * *"));
    Eventually.await(Duration.ofSeconds(15), "a failed nightly run", () -> runs("nightly", "failed") >= 1);
    assertThat(runs("nightly", "succeeded")).isZero();
    assertThat(Sql.one(b, "select error from scheduler_runs where job = 'nightly' and status = 'failed' order by slot limit 1"))
        .contains("no consumer answered on ops.nightly.run");
  }

  @Test
  void aRunningNightlyBlocksItsNextSlotsWhichAreSkippedThenItsAnswerIsRecorded() throws Exception {
    Vertx vertx = vertx();
    List<Message<JsonObject>> held = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.OPS_NIGHTLY_RUN, held::add).completion().await(5, TimeUnit.SECONDS);
    SchedulerConfig config = config(FAR, FAR, "* * * * * *");
    node(vertx, config);
    node(vertx(), config); // a second node: it may not start a second run either (the pipeline's consumer is on the first)

    Eventually.await(Duration.ofSeconds(15), "three slots skipped while the first run holds the job", () -> runs("nightly", "skipped") >= 3);
    assertThat(held).hasSize(1);
    assertThat(runs("nightly", "running")).isEqualTo(1);
    assertThat(Sql.one(b, "select error from scheduler_runs where job = 'nightly' and status = 'skipped' limit 1")).contains("still running");
    JsonObject request = held.get(0).body();
    assertThat(request.getString("job")).isEqualTo("nightly");
    assertThat(request.getString("trigger")).isEqualTo("schedule");

    held.get(0).reply(new JsonObject().put("status", "success").put("steps", 5));
    Eventually.await(Duration.ofSeconds(10), "the run succeeded with the answer", () -> runs("nightly", "succeeded") == 1);
    assertThat(Sql.one(b, "select result->>'steps' from scheduler_runs where job = 'nightly' and status = 'succeeded'")).isEqualTo("5");
    assertThat(Sql.one(b, "select slot from scheduler_runs where job = 'nightly' and status = 'succeeded'"))
        .isEqualTo(String.valueOf(java.time.Instant.parse(request.getString("slot")).toEpochMilli()));
    // released: a later slot runs again, on whichever node claims it (the second node has no consumer: failed)
    long first = java.time.Instant.parse(request.getString("slot")).toEpochMilli();
    Eventually.await(Duration.ofSeconds(10), "a later slot ran", () -> held.size() >= 2 || Sql.count(b, "select count(*) from scheduler_runs where job = 'nightly' and status = 'failed' and slot > " + first) >= 1);
  }

  @Test
  void aRunWhoseNodeDiedIsReleasedWhenItsLeaseExpires() throws Exception {
    // a node died mid-run: its row is 'running' with a lease that has run out
    Sql.exec(b, "insert into scheduler_runs (job, slot, status, started_at, lease_until, node) values ('nightly', 1000, 'running', now() - interval '3 hours', now() - interval '1 minute', 'dead@node')");
    Vertx vertx = vertx();
    List<Message<JsonObject>> held = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.OPS_NIGHTLY_RUN, held::add).completion().await(5, TimeUnit.SECONDS);
    node(vertx, config(FAR, FAR, "* * * * * *"));

    Eventually.await(Duration.ofSeconds(15), "a new run started", () -> held.size() == 1);
    assertThat(Sql.one(b, "select status || ': ' || error from scheduler_runs where job = 'nightly' and slot = 1000")).startsWith("failed: lease expired").contains("dead@node");
    assertThat(runs("nightly", "running")).isEqualTo(1);
  }

  @Test
  void theCommandsHandedToPgCronEnqueueOnePerActivePair() {
    // pg_cron runs these statements as they are (PgCronTest runs them on a real pg_cron); here, without it
    Sql.exec(b, OpsSql.cronCommand("ingest_indicators", OpsSql.enqueueIngest(0)));
    Sql.exec(b, OpsSql.cronCommand("compute_winrate", OpsSql.ENQUEUE_WINRATE));
    assertThat(Sql.column(b, "select message::text from pgmq.q_ingest_indicators order by msg_id"))
        .containsExactlyInAnyOrder("{\"symbol\": \"BTC/USDT\", \"timeframe\": \"1h\"}", "{\"symbol\": \"ETH/USDT\", \"timeframe\": \"4h\"}");
    assertThat(Sql.count(b, "select count(*) from pgmq.q_compute_winrate")).isEqualTo(1);
    assertThat(Sql.one(b, OpsSql.cronCommand("compute_winrate", OpsSql.ENQUEUE_WINRATE))).isEqualTo("1");
  }

  @Test
  void aRunOfAThousandPairsIsSpreadOverThePeriodAndSkipsPausedPairs() {
    // issue 9: 1,000 watched pairs made 1,000 ingest jobs visible at once every 5 minutes
    Sql.exec(b, "insert into watchers (user_id, symbol, timeframe, active) select gen_random_uuid(), 'Z' || lpad(i::text, 4, '0') || '/USDT', '1h', true from generate_series(0, 999) i");
    Sql.exec(b, "update watchers set paused_at = now(), pause_reason = 'test', dead_letters = 3 where symbol = 'ETH/USDT'");
    long spread = Schedule.spreadSeconds(Duration.ofMinutes(5), 0.8);
    assertThat(spread).isEqualTo(240);

    Sql.exec(b, OpsSql.enqueueIngest(spread));

    assertThat(Sql.count(b, "select count(*) from pgmq.q_ingest_indicators")).as("one per active pair, the paused one skipped").isEqualTo(1_001);
    assertThat(ingestMessages("ETH/USDT", "4h")).isZero();
    assertThat(Sql.count(b, "select extract(epoch from max(vt) - min(vt))::int from pgmq.q_ingest_indicators")).isBetween(235L, 240L);
    // at most ceil(1,001 / 240) = 5 become visible in any one second, instead of 1,001 at once
    assertThat(Sql.count(b, "select max(n) from (select count(*) as n from pgmq.q_ingest_indicators group by date_trunc('second', vt)) s")).isLessThanOrEqualTo(5);
    assertThat(Sql.count(b, "select count(*) from pgmq.q_ingest_indicators where vt <= now()")).isLessThanOrEqualTo(5);

    // the next run finds every pair's job still waiting: it adds none, rather than a second per pair
    Sql.exec(b, "select pgmq.delete('ingest_indicators', (select min(msg_id) from pgmq.q_ingest_indicators))");
    Sql.exec(b, OpsSql.enqueueIngest(spread));
    assertThat(Sql.count(b, "select count(*) from pgmq.q_ingest_indicators")).isEqualTo(1_001);
  }
}
