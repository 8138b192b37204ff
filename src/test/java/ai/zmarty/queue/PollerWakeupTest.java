package ai.zmarty.queue;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.config.ZmartyConfig.QueueConfig;
import ai.zmarty.db.Pools;
import ai.zmarty.metrics.Metrics;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A send wakes the poller of an idle queue at once (LISTEN pgmq_insert), long before its idle poll. */
@ExtendWith(VertxExtension.class)
class PollerWakeupTest {
  private static TestDatabases.Pair dbs;
  private static int n;
  private String queue;
  private Pool pool;
  private PgmqClient client;
  private PgmqPollerVerticle poller;
  private final List<Long> handled = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void freshQueue(Vertx vertx) throws Exception {
    // created after the migrations ran: the poller puts the notify trigger on it at start
    queue = "wake" + (++n);
    Sql.exec(dbs.trading(), "select pgmq.create('" + queue + "')");
    pool = Pools.create(vertx, dbs.trading(), 4, "test");
    client = new PgmqClient(pool);
    vertx.eventBus().<JsonObject>consumer(Addresses.job(queue), m -> {
      handled.add(m.body().getLong("msg_id"));
      m.reply(new JsonObject());
    }).completion().await(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    pool.close().await(5, TimeUnit.SECONDS);
  }

  /** An idle poll of a minute: only a wake-up can bring a job in within seconds. */
  private QueueConfig config() {
    return dbs.config(Map.of("QUEUE_NAMES", queue, "QUEUE_IDLE_POLL", "60s")).queue();
  }

  private void deploy(Vertx vertx, boolean listen) throws Exception {
    poller = new PgmqPollerVerticle(client, config(), Map.of(), Metrics.disabled().jobs(), listen ? Pools.connectOptions(dbs.trading(), "test-listen") : null);
    vertx.deployVerticle(poller).await(10, TimeUnit.SECONDS);
    // its first read found the queue empty: it now waits
    Eventually.await(Duration.ofSeconds(10), "the first read", () -> poller.reads() >= 1);
  }

  private long archived(long id) {
    return Sql.count(dbs.trading(), "select count(*) from pgmq.a_" + queue + " where msg_id = " + id);
  }

  @Test
  void aSendWakesTheIdleQueueAtOnce(Vertx vertx) throws Exception {
    deploy(vertx, true);
    assertThat(Sql.count(dbs.trading(), "select count(*) from pg_trigger where tgname = 'queue_notify_insert' and tgrelid = 'pgmq.q_" + queue + "'::regclass")).isOne();
    for (int i = 0; i < 3; i++) {
      long before = poller.reads();
      long id = client.send(queue, new JsonObject().put("i", i)).await(5, TimeUnit.SECONDS);
      Eventually.await(Duration.ofSeconds(10), "job " + id + " handled and archived", () -> handled.contains(id) && archived(id) == 1);
      // the wake-up read, not a poll loop: a read or two per send (the one that found it, the next that found nothing)
      assertThat(poller.reads() - before).isBetween(1L, 3L);
    }
  }

  @Test
  void aBatchSentInOneStatementIsReadAtOnceToo(Vertx vertx) throws Exception {
    deploy(vertx, true);
    Sql.exec(dbs.trading(), "select pgmq.send_batch('" + queue + "', array['{\"i\":1}', '{\"i\":2}', '{\"i\":3}']::jsonb[])");
    Eventually.await(Duration.ofSeconds(10), "three jobs handled", () -> handled.size() == 3);
    assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.a_" + queue)).isEqualTo(3);
  }

  @Test
  void withoutListeningAnIdleQueueWaitsForItsPoll(Vertx vertx) throws Exception {
    // the control: the same send with no LISTEN stays unread for the idle poll (a minute)
    deploy(vertx, false);
    long id = client.send(queue, new JsonObject()).await(5, TimeUnit.SECONDS);
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2)) {
      assertThat(handled).doesNotContain(id);
      Thread.sleep(50);
    }
  }
}
