package ai.zmarty.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14: an ops node stopped while its relay is posting a change gives the row back — due again
 * at once, no attempt counted — instead of recording a failure or leaving it claimed for 30 s.
 */
@ExtendWith(VertxExtension.class)
class RelayStopTest {
  @Test
  void aStoppingRelayGivesBackTheRowItIsStillSendingDueAtOnceWithNoAttemptCounted(Vertx vertx) throws Exception {
    AtomicInteger posts = new AtomicInteger();
    // a receiver that takes the delivery and never answers
    HttpServer receiver = vertx.createHttpServer().requestHandler(req -> posts.incrementAndGet()).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    TestDatabases.Pair dbs = TestDatabases.migrated();
    String event = UUID.randomUUID().toString();
    Sql.exec(dbs.chat(), "insert into sync_outbox (event_id, payload) values ('" + event + "', '{\"event_id\": \"" + event + "\", \"type\": \"INSERT\", \"table\": \"user_symbols\", \"schema\": \"public\"}'::jsonb)");
    TestNode node = TestNode.start(vertx, dbs.config(Map.of("ROLES", "ops", "WEBHOOK_URL", "http://127.0.0.1:" + receiver.actualPort() + "/hook",
        "WEBHOOK_SECRET", "relay-stop-test-secret-relay-stop-000001", "SYNC_POLL", "200ms", "METRICS_PORT", "0")), dbs.chat(), dbs.trading());
    Eventually.await(Duration.ofSeconds(20), "the relay posts the row", () -> posts.get() == 1);
    assertThat(Sql.one(dbs.chat(), "select next_attempt_at > now() + interval '20 seconds' from sync_outbox where event_id = '" + event + "'")).as("claimed").isEqualTo("t");

    long started = System.nanoTime();
    node.wiring().close().await(30, TimeUnit.SECONDS);
    double took = (System.nanoTime() - started) / 1e9;

    assertThat(Sql.one(dbs.chat(), "select attempts || ' ' || (delivered_at is null) || ' ' || (refused_at is null) || ' ' || (last_error is null) || ' ' || (next_attempt_at <= now()) from sync_outbox where event_id = '" + event + "'"))
        .as("attempts, undelivered, not dead, no error, due now").isEqualTo("0 true true true true");
    assertThat(took).as("the send got its 5 s grace, not the 10 s request timeout").isBetween(4.5, 9.5);
  }
}
