package ai.zmarty.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.db.Pools;
import ai.zmarty.ingest.IngestVerticle;
import ai.zmarty.market.SimulatedMarket;
import ai.zmarty.queue.PgmqClient;
import ai.zmarty.queue.PgmqPollerVerticle;
import ai.zmarty.signal.DoublingGuard;
import ai.zmarty.signal.SignalVerticle;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.winrate.WinRateVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole chain driven by pgmq alone: one ingest message in, signals and win rates out, via the real poller. */
@ExtendWith(VertxExtension.class)
class WorkerPipelineThroughQueuesTest {
  private static final Instant NOW = Instant.parse("2026-02-10T12:34:00Z");
  private static TestDatabases.Pair dbs;
  private Pool pool;
  private PgmqClient queues;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    pool = Pools.create(vertx, dbs.trading(), 4, "test");
    queues = new PgmqClient(pool);
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    SimulatedMarket market = new SimulatedMarket(42, clock);
    vertx.deployVerticle(new IngestVerticle(pool, market, queues, clock)).await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new SignalVerticle(pool, queues, DoublingGuard.of(dbs.config().guardrails()))).await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new WinRateVerticle(pool, market, clock)).await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new PgmqPollerVerticle(queues, dbs.config(Map.of("QUEUE_IDLE_POLL", "100ms")).queue())).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    pool.close().await(5, TimeUnit.SECONDS);
  }

  private long count(String sql) {
    return Sql.count(dbs.trading(), sql);
  }

  @Test
  void anIngestMessageEndsInSignalsAndAWinRate() throws Exception {
    queues.send(Addresses.QUEUE_INGEST_INDICATORS, new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "1h")).await(10, TimeUnit.SECONDS);

    Eventually.await(Duration.ofSeconds(20), "signals from the queued ingest", () -> count("select count(*) from signals where symbol = 'BTC/USDT' and timeframe = '1h'") == 120);
    Eventually.await(Duration.ofSeconds(10), "both jobs archived", () -> count("select count(*) from pgmq.a_ingest_indicators") == 1 && count("select count(*) from pgmq.a_compute_signals") == 1);
    assertThat(count("select count(*) from pgmq.q_ingest_indicators")).isZero();
    assertThat(count("select count(*) from pgmq.q_compute_signals")).isZero();
    assertThat(count("select count(*) from pgmq.q_dead_letter")).isZero();

    queues.send(Addresses.QUEUE_COMPUTE_WINRATE, new JsonObject()).await(10, TimeUnit.SECONDS);

    Eventually.await(Duration.ofSeconds(10), "a win rate", () -> count("select count(*) from win_rate where symbol = 'BTC/USDT' and window_name = 'all'") == 1);
    assertThat(count("select sample_size from win_rate where symbol = 'BTC/USDT' and window_name = 'all'"))
        .isEqualTo(count("select count(*) from signals where symbol = 'BTC/USDT' and direction <> 'flat' and outcome is not null"))
        .isPositive();
  }
}
