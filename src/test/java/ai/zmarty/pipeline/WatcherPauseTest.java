package ai.zmarty.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.Wiring;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.Users;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9, finding 2: a pair that can never be ingested was dead-lettered and enqueued again at
 * every run, forever. Now WATCHER_PAUSE_AFTER dead letters in a row pause its watchers (with the
 * reason, in B); the scheduler skips it; adding the pair again resumes it and ingests at once.
 */
@ExtendWith(VertxExtension.class)
class WatcherPauseTest {
  private static final String PAIR = "{\"symbol\":\"BTC/USDT\",\"timeframe\":\"1h\"}";
  private TestDatabases.Pair dbs;

  @BeforeEach
  void databases() {
    dbs = TestDatabases.migrated();
  }

  private Wiring node(Vertx vertx, Map<String, String> env) throws Exception {
    Map<String, String> all = new HashMap<>(Map.of("QUEUE_MAX_READS", "1", "QUEUE_IDLE_POLL", "100ms", "WATCHER_PAUSE_AFTER", "3", "SYNC_POLL", "200ms"));
    all.putAll(env);
    return TestNode.start(vertx, dbs.config(all), dbs.chat(), dbs.trading()).wiring();
  }

  /** A worker whose exchange never answers: every ingest fails and, after one read, is dead-lettered. */
  private Wiring deadMarketWorker(Vertx vertx) throws Exception {
    return node(vertx, Map.of("ROLES", "worker", "MARKET_PROVIDER", "binance", "BINANCE_BASE_URL", "http://127.0.0.1:9", "MARKET_RETRIES", "0", "MARKET_TIMEOUT", "1s"));
  }

  private long deadLetters() {
    return Sql.count(dbs.trading(), "select count(*) from pgmq.q_dead_letter");
  }

  private String watcher(UUID user) {
    return Sql.one(dbs.trading(), "select dead_letters || ' ' || (paused_at is not null) || ' ' || coalesce(pause_reason, '-') from watchers where user_id = '" + user + "'");
  }

  private void enqueue() {
    Sql.exec(dbs.trading(), "select pgmq.send('ingest_indicators', '" + PAIR + "'::jsonb)");
  }

  @Test
  void threeDeadLettersInARowPauseThePairAndAddingItAgainResumesIt(Vertx vertx) throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 0);
    Sql.exec(dbs.chat(), "insert into user_symbols (user_id, symbol, timeframe) values ('" + user + "', 'BTC/USDT', '1h')");
    Sql.exec(dbs.trading(), "insert into watchers (user_id, symbol, timeframe, active) values ('" + user + "', 'BTC/USDT', '1h', true)");
    Sql.exec(dbs.chat(), "delete from sync_outbox");
    Wiring worker = deadMarketWorker(vertx);

    enqueue();
    Eventually.await(Duration.ofSeconds(30), "first dead letter", () -> deadLetters() == 1);
    assertThat(watcher(user)).isEqualTo("1 false -");
    enqueue();
    enqueue();
    Eventually.await(Duration.ofSeconds(30), "three dead letters", () -> deadLetters() == 3);
    assertThat(watcher(user)).startsWith("3 true 3 ingest jobs dead-lettered in a row; last error: ").contains("binance");

    // the scheduler's statement enqueues nothing for it now (pg_cron runs the same statement)
    Sql.exec(dbs.trading(), "select pgmq.purge_queue('ingest_indicators')");
    assertThat(Sql.count(dbs.trading(), "select count(*) from watchers where active and paused_at is null")).isZero();
    worker.close().await(30, TimeUnit.SECONDS);

    // POST /symbols of the pair (already watched) → the sync → the receiver resumes it and ingests at once
    Wiring api = node(vertx, Map.of("ROLES", "api,ops"));
    int status = WebClient.create(vertx).post(api.httpPort().orElseThrow(), "127.0.0.1", "/symbols").putHeader("Authorization", "Bearer " + TestJwt.valid(user))
        .sendJsonObject(new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "1h")).await(10, TimeUnit.SECONDS).statusCode();
    assertThat(status).isEqualTo(200);
    Eventually.await(Duration.ofSeconds(20), "resumed", () -> "0 false -".equals(watcher(user)));
    assertThat(Sql.column(dbs.trading(), "select message::text from pgmq.q_ingest_indicators")).containsExactly("{\"symbol\": \"BTC/USDT\", \"timeframe\": \"1h\"}");
  }

  @Test
  void aSuccessfulIngestEndsTheRunOfDeadLetters(Vertx vertx) throws Exception {
    UUID user = UUID.randomUUID();
    Sql.exec(dbs.trading(), "insert into watchers (user_id, symbol, timeframe, active, dead_letters) values ('" + user + "', 'BTC/USDT', '1h', true, 2)");
    node(vertx, Map.of("ROLES", "worker"));
    enqueue();
    Eventually.await(Duration.ofSeconds(60), "ingested", () -> Sql.count(dbs.trading(), "select count(*) from pgmq.a_ingest_indicators") == 1);
    Eventually.await(Duration.ofSeconds(10), "run ended", () -> "0 false -".equals(watcher(user)));
    assertThat(deadLetters()).isZero();
  }
}
