package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.db.Pools;
import ai.zmarty.queue.PgmqClient;
import ai.zmarty.queue.QueueMessage;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poller's backstop for {@code lens_enrich}: a delivery it dead-letters itself (the worker never
 * answered the last read) records the event's DLQ entry, status and timeline in the same
 * transaction that moves the message; a payload without an event id records nothing and still moves.
 */
class EnrichDeadLetterHookTest {
  private static final TestDatabases.Pair DBS = TestDatabases.migrated();
  private Vertx vertx;
  private Pool pool;
  private PgmqClient queues;
  private EnrichStore store;
  private LensEvents events;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    pool = Pools.create(vertx, DBS.trading(), 2, "hook-test");
    queues = new PgmqClient(pool);
    store = new EnrichStore(pool, "test-node");
    events = new LensEvents(DBS.trading());
  }

  @AfterEach
  void stop() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private QueueMessage readOne() throws Exception {
    List<QueueMessage> read = queues.read("lens_enrich", Duration.ofSeconds(30), 1).await(10, TimeUnit.SECONDS);
    assertThat(read).hasSize(1);
    return read.get(0);
  }

  @Test
  void aDeliveryThePollerGivesUpOnIsRecordedAsTheEventsDlqEntry() throws Exception {
    UUID id = events.queue("BTC/USDT", "long", 93_000, Instant.now(), "full_v1");
    QueueMessage m = readOne();
    queues.deadLetter("lens_enrich", m, "dead_letter", "handler timed out: Timed out after waiting 30000(ms)", store.deadLetterHook(5)).await(10, TimeUnit.SECONDS);
    assertThat(events.status(id)).isEqualTo("failed");
    JsonObject entry = new JsonObject(events.dlq(id).get(0));
    assertThat(entry.getString("stage")).isEqualTo("enrich");
    assertThat(entry.getString("error")).startsWith("handler timed out");
    assertThat(events.stages(id)).containsExactly("dead_lettered");
    assertThat(events.lastTimeline(id, "dead_lettered").getString("node")).isEqualTo("test-node");
    assertThat(events.deadLetterQueue(id)).isEqualTo(1);
    assertThat(events.pending(id)).isZero();
  }

  @Test
  void aPayloadWithoutAnEventIdStillMovesAndRecordsNothing() throws Exception {
    queues.send("lens_enrich", new JsonObject().put("nonsense", true)).await(10, TimeUnit.SECONDS);
    QueueMessage m = readOne();
    long before = Long.parseLong(ai.zmarty.testing.Sql.one(DBS.trading(), "select count(*) from lens.dlq_entries"));
    queues.deadLetter("lens_enrich", m, "dead_letter", "bad request", store.deadLetterHook(5)).await(10, TimeUnit.SECONDS);
    assertThat(ai.zmarty.testing.Sql.count(DBS.trading(), "select count(*) from lens.dlq_entries")).isEqualTo(before);
    assertThat(ai.zmarty.testing.Sql.count(DBS.trading(), "select count(*) from pgmq.q_dead_letter where message->'message'->>'nonsense' = 'true'")).isEqualTo(1);
  }
}
