package ai.zmarty.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.PgUrl;
import ai.zmarty.config.ZmartyConfig.SchedulerConfig;
import ai.zmarty.db.Pools;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-app schedule on two nodes (two Vert.x instances, one database B): one firing per period. */
class SchedulerVerticleTest {
  private static final UUID U1 = UUID.randomUUID();
  private static final UUID U2 = UUID.randomUUID();

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

  private SchedulerVerticle node(SchedulerConfig config) throws Exception {
    Vertx vertx = Vertx.vertx();
    nodes.add(vertx);
    Pool pool = Pools.create(vertx, b, 2, "scheduler-" + nodes.size());
    SchedulerVerticle scheduler = new SchedulerVerticle(pool, config);
    vertx.deployVerticle(scheduler).await(10, TimeUnit.SECONDS);
    return scheduler;
  }

  private long runs(String job) {
    return Sql.count(b, "select count(*) from scheduler_runs where job = '" + job + "'");
  }

  private long ingestMessages(String symbol, String timeframe) {
    return Sql.count(b, "select count(*) from pgmq.q_ingest_indicators where message = '{\"symbol\":\"" + symbol + "\",\"timeframe\":\"" + timeframe + "\"}'::jsonb");
  }

  @Test
  void twoNodesEnqueueExactlyOncePerPeriod() throws Exception {
    SchedulerConfig config = dbs.config(Map.of("SCHEDULER_INGEST_EVERY", "1s", "SCHEDULER_WINRATE_EVERY", "2s")).scheduler();
    SchedulerVerticle one = node(config);
    SchedulerVerticle two = node(config);

    Eventually.await(Duration.ofSeconds(15), "four ingest periods", () -> runs("ingest_indicators") >= 4);
    for (Vertx v : nodes) {
      v.close().await(10, TimeUnit.SECONDS);
    }
    nodes.clear();

    long ingestRuns = runs("ingest_indicators");
    long winrateRuns = runs("compute_winrate");
    assertThat(ingestRuns).isGreaterThanOrEqualTo(4);
    assertThat(winrateRuns).isGreaterThanOrEqualTo(1);
    // Each period fired once, by one of the two nodes. The first enqueued one message per active
    // pair; nothing consumed them, so the later runs found them waiting and added none.
    assertThat(one.fired() + two.fired()).isEqualTo(ingestRuns + winrateRuns);
    assertThat(ingestMessages("BTC/USDT", "1h")).isEqualTo(1);
    assertThat(ingestMessages("ETH/USDT", "4h")).isEqualTo(1);
    assertThat(ingestMessages("SOL/USDT", "1d")).isZero();
    assertThat(Sql.count(b, "select count(*) from pgmq.q_ingest_indicators")).isEqualTo(2);
    assertThat(Sql.column(b, "select messages from scheduler_runs where job = 'ingest_indicators' order by slot")).first().isEqualTo("2");
    assertThat(Sql.column(b, "select messages from scheduler_runs where job = 'ingest_indicators' order by slot offset 1")).containsOnly("0");
    assertThat(Sql.count(b, "select count(*) from pgmq.q_compute_winrate where message = '{}'::jsonb")).isEqualTo(winrateRuns);
    // Consecutive slots: no period was skipped.
    assertThat(Sql.count(b, "select max(slot) - min(slot) + 1 from scheduler_runs where job = 'ingest_indicators'")).isEqualTo(ingestRuns);
  }

  @Test
  void aSlotAlreadyTakenIsNotFiredAgainByALateNode() throws Exception {
    SchedulerConfig config = dbs.config(Map.of("SCHEDULER_INGEST_EVERY", "1d", "SCHEDULER_WINRATE_EVERY", "7d")).scheduler();
    node(config);
    Eventually.await(Duration.ofSeconds(10), "first node fired", () -> runs("ingest_indicators") == 1 && runs("compute_winrate") == 1);
    SchedulerVerticle late = node(config);
    // it ticked and tried both slots of the period ...
    Eventually.await(Duration.ofSeconds(10), "the late node claimed both jobs' slots", () -> late.claims() >= 2);
    // ... and took neither
    assertThat(late.fired()).isZero();
    assertThat(Sql.count(b, "select count(*) from pgmq.q_ingest_indicators")).isEqualTo(2);
    assertThat(Sql.count(b, "select count(*) from pgmq.q_compute_winrate")).isEqualTo(1);
  }

  @Test
  void theCommandsHandedToPgCronEnqueueOnePerActivePair() {
    // pg_cron runs these statements as they are; the embedded server has no pg_cron, so run them here.
    Sql.exec(b, SchedulerSql.enqueueIngest(0));
    Sql.exec(b, SchedulerSql.ENQUEUE_WINRATE);
    assertThat(Sql.column(b, "select message::text from pgmq.q_ingest_indicators order by msg_id"))
        .containsExactlyInAnyOrder("{\"symbol\": \"BTC/USDT\", \"timeframe\": \"1h\"}", "{\"symbol\": \"ETH/USDT\", \"timeframe\": \"4h\"}");
    assertThat(Sql.count(b, "select count(*) from pgmq.q_compute_winrate")).isEqualTo(1);
  }

  @Test
  void aRunOfAThousandPairsIsSpreadOverThePeriodAndSkipsPausedPairs() {
    // issue 9: 1,000 watched pairs made 1,000 ingest jobs visible at once every 5 minutes
    Sql.exec(b, "insert into watchers (user_id, symbol, timeframe, active) select gen_random_uuid(), 'Z' || lpad(i::text, 4, '0') || '/USDT', '1h', true from generate_series(0, 999) i");
    Sql.exec(b, "update watchers set paused_at = now(), pause_reason = 'test', dead_letters = 3 where symbol = 'ETH/USDT'");
    long spread = Schedule.spreadSeconds(Duration.ofMinutes(5), 0.8);
    assertThat(spread).isEqualTo(240);

    Sql.exec(b, SchedulerSql.enqueueIngest(spread));

    assertThat(Sql.count(b, "select count(*) from pgmq.q_ingest_indicators")).as("one per active pair, the paused one skipped").isEqualTo(1_001);
    assertThat(ingestMessages("ETH/USDT", "4h")).isZero();
    assertThat(Sql.count(b, "select extract(epoch from max(vt) - min(vt))::int from pgmq.q_ingest_indicators")).isBetween(235L, 240L);
    // at most ceil(1,001 / 240) = 5 become visible in any one second, instead of 1,001 at once
    assertThat(Sql.count(b, "select max(n) from (select count(*) as n from pgmq.q_ingest_indicators group by date_trunc('second', vt)) s")).isLessThanOrEqualTo(5);
    assertThat(Sql.count(b, "select count(*) from pgmq.q_ingest_indicators where vt <= now()")).isLessThanOrEqualTo(5);

    // the next run finds every pair's job still waiting: it adds none, rather than a second per pair
    Sql.exec(b, "select pgmq.delete('ingest_indicators', (select min(msg_id) from pgmq.q_ingest_indicators))");
    Sql.exec(b, SchedulerSql.enqueueIngest(spread));
    assertThat(Sql.count(b, "select count(*) from pgmq.q_ingest_indicators")).isEqualTo(1_001);
  }
}
