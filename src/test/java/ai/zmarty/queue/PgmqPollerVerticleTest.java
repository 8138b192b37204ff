package ai.zmarty.queue;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.config.ZmartyConfig.QueueConfig;
import ai.zmarty.db.Pools;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.MessageConsumerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class PgmqPollerVerticleTest {
  private static TestDatabases.Pair dbs;
  private static int n;
  private String queue;
  private Pool pool;
  private PgmqClient client;
  private PgmqPollerVerticle poller;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void freshQueue(Vertx vertx) {
    queue = "poll" + (++n);
    Sql.exec(dbs.trading(), "select pgmq.create('" + queue + "')");
    pool = Pools.create(vertx, dbs.trading(), 4, "test");
    client = new PgmqClient(pool);
  }

  @AfterEach
  void close() throws Exception {
    pool.close().await(5, TimeUnit.SECONDS);
  }

  private QueueConfig config(Map<String, String> overrides) {
    Map<String, String> env = new java.util.HashMap<>(
        Map.of(
            "QUEUE_NAMES", queue,
            "QUEUE_MAX_READS", "3",
            "QUEUE_BACKOFF_BASE", "1s",
            "QUEUE_BACKOFF_MAX", "8s",
            "QUEUE_VISIBILITY_TIMEOUT", "5s",
            "QUEUE_HANDLER_TIMEOUT", "1s",
            "QUEUE_IDLE_POLL", "100ms"));
    env.putAll(overrides);
    return dbs.config(env).queue();
  }

  private void deployPoller(Vertx vertx, QueueConfig config) throws Exception {
    poller = new PgmqPollerVerticle(client, config);
    vertx.deployVerticle(poller).await(10, TimeUnit.SECONDS);
  }

  private long send(JsonObject payload) throws Exception {
    return client.send(queue, payload).await(10, TimeUnit.SECONDS);
  }

  private long inQueue() {
    return Sql.count(dbs.trading(), "select count(*) from pgmq.q_" + queue);
  }

  private long archived(long id) {
    return Sql.count(dbs.trading(), "select count(*) from pgmq.a_" + queue + " where msg_id = " + id);
  }

  @Test
  void aHandledMessageIsArchived(Vertx vertx) throws Exception {
    List<Job> seen = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.job(queue), msg -> {
      seen.add(Job.fromJson(msg.body()));
      msg.reply(new JsonObject().put("ok", true));
    });
    deployPoller(vertx, config(Map.of()));

    long id = send(new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "1h"));

    Eventually.await(Duration.ofSeconds(10), "message archived", () -> archived(id) == 1);
    assertThat(inQueue()).isZero();
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).msgId()).isEqualTo(id);
    assertThat(seen.get(0).readCount()).isEqualTo(1);
    assertThat(seen.get(0).queue()).isEqualTo(queue);
    assertThat(seen.get(0).payload().getString("symbol")).isEqualTo("BTC/USDT");
  }

  @Test
  void aFailingMessageIsRetriedWithGrowingDelayThenDeadLettered(Vertx vertx) throws Exception {
    List<Long> deliveredAt = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.job(queue), msg -> {
      deliveredAt.add(System.nanoTime());
      msg.fail(ErrorCode.INTERNAL.failureCode(), "exchange down (attempt " + deliveredAt.size() + ")");
    });
    deployPoller(vertx, config(Map.of()));

    long id = send(new JsonObject().put("symbol", "SOL/USDT"));

    Eventually.await(Duration.ofSeconds(20), "message dead-lettered", () -> Sql.count(dbs.trading(), "select count(*) from pgmq.q_dead_letter where (message->>'msg_id')::bigint = " + id + " and message->>'queue' = '" + queue + "'") == 1);
    assertThat(deliveredAt).hasSize(3);
    long firstGap = TimeUnit.NANOSECONDS.toMillis(deliveredAt.get(1) - deliveredAt.get(0));
    long secondGap = TimeUnit.NANOSECONDS.toMillis(deliveredAt.get(2) - deliveredAt.get(1));
    assertThat(firstGap).isGreaterThanOrEqualTo(900);
    assertThat(secondGap).isGreaterThanOrEqualTo(1900).isGreaterThan(firstGap);

    JsonObject letter = new JsonObject(Sql.one(dbs.trading(), "select message::text from pgmq.q_dead_letter where (message->>'msg_id')::bigint = " + id + " and message->>'queue' = '" + queue + "'"));
    assertThat(letter.getString("error")).contains("exchange down (attempt 3)");
    assertThat(letter.getInteger("read_ct")).isEqualTo(3);
    assertThat(letter.getJsonObject("message").getString("symbol")).isEqualTo("SOL/USDT");
    assertThat(inQueue()).isZero();
    assertThat(archived(id)).isZero();
  }

  @Test
  void aHandlerThatTimesOutLosesNothing(Vertx vertx) throws Exception {
    AtomicInteger deliveries = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer(Addresses.job(queue), msg -> {
      if (deliveries.incrementAndGet() > 1) {
        msg.reply(new JsonObject());
      } // the first delivery is never answered
    });
    deployPoller(vertx, config(Map.of()));

    long id = send(new JsonObject().put("symbol", "ETH/USDT"));

    Eventually.await(Duration.ofSeconds(15), "message archived after a timeout", () -> archived(id) == 1);
    assertThat(deliveries.get()).isEqualTo(2);
    assertThat(inQueue()).isZero();
  }

  @Test
  void inFlightMessagesAreBounded(Vertx vertx) throws Exception {
    AtomicInteger current = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer(Addresses.job(queue), msg -> {
      peak.accumulateAndGet(current.incrementAndGet(), Math::max);
      vertx.setTimer(150, t -> {
        current.decrementAndGet();
        msg.reply(new JsonObject());
      });
    });
    for (int i = 0; i < 12; i++) {
      send(new JsonObject().put("i", i));
    }
    deployPoller(vertx, config(Map.of("QUEUE_MAX_IN_FLIGHT", "2", "QUEUE_BATCH_SIZE", "10")));

    Eventually.await(Duration.ofSeconds(15), "all archived", () -> inQueue() == 0 && Sql.count(dbs.trading(), "select count(*) from pgmq.a_" + queue) == 12);
    assertThat(peak.get()).isEqualTo(2);
  }

  /**
   * Two reads out at once must not hand out more than the in-flight limit together: each read's
   * request is held against the limit until it comes back (15 slots, batches of 10: a read of 10
   * and one of 5, never two of 10).
   */
  @Test
  void inFlightMessagesStayBoundedWithSeveralReadsOut(Vertx vertx) throws Exception {
    AtomicInteger current = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer(Addresses.job(queue), msg -> {
      peak.accumulateAndGet(current.incrementAndGet(), Math::max);
      vertx.setTimer(100, t -> {
        current.decrementAndGet();
        msg.reply(new JsonObject());
      });
    });
    Sql.exec(dbs.trading(), "select pgmq.send_batch('" + queue + "', array(select jsonb_build_object('i', i) from generate_series(1, 90) i))");
    deployPoller(vertx, config(Map.of("QUEUE_MAX_IN_FLIGHT", "15", "QUEUE_BATCH_SIZE", "10", "QUEUE_READERS", "2")));

    Eventually.await(Duration.ofSeconds(20), "all archived", () -> inQueue() == 0 && Sql.count(dbs.trading(), "select count(*) from pgmq.a_" + queue) == 90);
    assertThat(peak.get()).isEqualTo(15);
  }

  /**
   * A busy queue is read by QUEUE_READERS reads at once: with the queue's table locked, every read
   * the poller has out waits on the lock, and pg_stat_activity shows how many there are.
   */
  @Test
  void aBusyQueueHasAsManyReadsOutAsItHasReaders(Vertx vertx) throws Exception {
    vertx.eventBus().<JsonObject>consumer(Addresses.job(queue), msg -> msg.reply(new JsonObject()));
    Sql.exec(dbs.trading(), "select pgmq.send_batch('" + queue + "', array(select jsonb_build_object('i', i) from generate_series(1, 20000) i))");
    deployPoller(vertx, config(Map.of("QUEUE_MAX_IN_FLIGHT", "500", "QUEUE_BATCH_SIZE", "10", "QUEUE_READERS", "3")));
    Eventually.await(Duration.ofSeconds(20), "the poller is busy", () -> Sql.count(dbs.trading(), "select count(*) from pgmq.a_" + queue) > 200);

    String waitingReads = "select count(*) from pg_stat_activity where pid <> pg_backend_pid() and datname = current_database()"
        + " and wait_event_type = 'Lock' and query like '%from pgmq.read(%'";
    try (java.sql.Connection lock = Sql.connect(dbs.trading())) {
      lock.setAutoCommit(false);
      lock.createStatement().execute("lock table pgmq.q_" + queue + " in exclusive mode");
      Eventually.await(Duration.ofSeconds(10), "three reads waiting on the lock", () -> Sql.count(dbs.trading(), waitingReads) == 3);
      lock.rollback();
    }
    Eventually.await(Duration.ofSeconds(30), "the queue drained once the lock went", () -> inQueue() == 0);
  }

  @Test
  void anEmptyQueueIsPolledOnATimerNotInALoop(Vertx vertx) throws Exception {
    deployPoller(vertx, config(Map.of("QUEUE_IDLE_POLL", "500ms")));
    long before = poller.reads();
    long t0 = System.nanoTime();
    // it keeps polling: three more reads come ...
    Eventually.await(Duration.ofSeconds(10), "three more reads of the idle queue", () -> poller.reads() - before >= 3);
    // ... but each after an idle pause: the second and third both waited 500 ms (a loop would take milliseconds)
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
  }

  @Test
  void aJobNoConsumerSawIsKeptNotDeadLettered(Vertx vertx) throws Exception {
    deployPoller(vertx, config(Map.of("QUEUE_MAX_READS", "1")));
    long id = send(new JsonObject());
    Eventually.await(Duration.ofSeconds(10), "read twice", () -> Sql.count(dbs.trading(), "select coalesce(max(read_ct), 0) from pgmq.q_" + queue) >= 2);
    assertThat(inQueue()).isEqualTo(1);
    assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.q_dead_letter where (message->>'msg_id')::bigint = " + id + " and message->>'queue' = '" + queue + "'")).isZero();
  }

  /**
   * Vert.x answers a request that a consumer's buffer cannot take, or that still waits there when the
   * consumer unregisters (a node stopping), with a TIMEOUT failure at once. The handler never saw
   * that job: it is visible again at once, without backoff and without a step towards the dead
   * letters, unlike a real timeout (see {@link #aHandlerThatTimesOutLosesNothing}).
   */
  @Test
  void aJobVertxDiscardedUnseenIsVisibleAgainAtOnceAndNeverDeadLettered(Vertx vertx) throws Exception {
    List<Long> handled = new CopyOnWriteArrayList<>();
    var options = new MessageConsumerOptions().setAddress(Addresses.job(queue)).setMaxBufferedMessages(1);
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(options, msg -> {
      handled.add(Job.fromJson(msg.body()).msgId());
      msg.reply(new JsonObject());
    });
    consumer.completion().await(5, TimeUnit.SECONDS);
    consumer.pause(); // a buffer of one: the first job waits in it, the next is discarded
    // a counted failure would dead-letter at once (one read allowed); a backoff would hide it for 10 minutes
    deployPoller(vertx, config(Map.of("QUEUE_MAX_READS", "1", "QUEUE_BACKOFF_BASE", "10m", "QUEUE_BACKOFF_MAX", "10m",
        "QUEUE_VISIBILITY_TIMEOUT", "60s", "QUEUE_HANDLER_TIMEOUT", "30s")));

    long waiting = send(new JsonObject().put("n", 1));
    Eventually.await(Duration.ofSeconds(10), "the first job read and waiting in the buffer", () -> readCount(waiting) == 1);
    long discarded = send(new JsonObject().put("n", 2));
    Eventually.await(Duration.ofSeconds(10), "the second job discarded and read again, three times", () -> readCount(discarded) >= 3);
    assertThat(handled).isEmpty();
    assertThat(readCount(waiting)).as("the waiting job is not read again").isEqualTo(1);

    consumer.resume();
    Eventually.await(Duration.ofSeconds(10), "both jobs archived", () -> archived(waiting) == 1 && archived(discarded) == 1);
    assertThat(handled).containsExactly(waiting, discarded);
    assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.q_dead_letter where message->>'queue' = '" + queue + "'")).isZero();
  }

  private long readCount(long id) {
    return Sql.count(dbs.trading(), "select coalesce(max(read_ct), 0) from pgmq.q_" + queue + " where msg_id = " + id);
  }
}
