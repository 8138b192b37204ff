package ai.zmarty.queue;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.db.Pools;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14: a job consumer on a stopping node takes no new job, lets the running ones finish within
 * its grace and hands back the rest, and the poller that sent a handed-back job makes it visible
 * again at once, without backoff and without counting it towards the dead letters.
 */
@ExtendWith(VertxExtension.class)
class JobDrainTest {
  private static final TestDatabases.Pair dbs = TestDatabases.migrated();

  /** A consumer whose jobs answer after {@code "ms"} milliseconds, or never when the body says {@code stuck}. */
  private static final class SlowConsumer extends VerticleBase {
    private final String address;
    private final Duration grace;
    private final JobDrain drain;
    final List<Message<Object>> stuck = new CopyOnWriteArrayList<>();
    private MessageConsumer<Object> consumer;

    SlowConsumer(String address, Duration grace) {
      this(address, grace, new JobDrain("test"));
    }

    SlowConsumer(String address, Duration grace, JobDrain drain) {
      this.address = address;
      this.grace = grace;
      this.drain = drain;
    }

    @Override
    public Future<?> start() {
      consumer = vertx.eventBus().consumer(address, drain.tracking(msg -> {
        JsonObject body = (JsonObject) msg.body();
        if (body.getBoolean("stuck", false)) {
          stuck.add(msg);
        } else {
          vertx.setTimer(body.getLong("ms"), id -> msg.reply(new JsonObject().put("done", true)));
        }
      }));
      return consumer.completion();
    }

    @Override
    public Future<?> stop() {
      return drain.stop(vertx, consumer, grace);
    }
  }

  /** A fresh queue of database B, named {@code prefix} and a number. */
  private static String newQueue(String prefix) {
    String queue = prefix + System.nanoTime() % 100_000;
    Sql.exec(dbs.trading(), "select pgmq.create('" + queue + "')");
    return queue;
  }

  @Test
  void aStoppingConsumerLetsARunningJobFinishHandsBackAStuckOneAndTakesNoNewJob(Vertx vertx) throws Exception {
    String address = "test.drain." + System.nanoTime();
    SlowConsumer consumer = new SlowConsumer(address, Duration.ofSeconds(2));
    String deployment = vertx.deployVerticle(consumer).await(10, TimeUnit.SECONDS);
    DeliveryOptions patient = new DeliveryOptions().setSendTimeout(30_000);
    Future<Message<Object>> quick = vertx.eventBus().request(address, new JsonObject().put("ms", 800), patient);
    Future<Message<Object>> stuck = vertx.eventBus().request(address, new JsonObject().put("stuck", true), patient);
    Eventually.await(Duration.ofSeconds(5), "the stuck job is running", () -> consumer.stuck.size() == 1);

    long started = System.nanoTime();
    Future<String> undeployed = vertx.undeploy(deployment).map("stopped");
    // no new job is taken while the running ones still have their grace: one sent once the consumer
    // is gone finds no handler; one that reached its buffer just as it unregistered is discarded
    // unseen, which Vert.x answers at once with a TIMEOUT (long before this request's 30 s)
    Throwable[] refused = new Throwable[1];
    long[] refusedAfterMs = new long[1];
    Eventually.await(Duration.ofMillis(1500), "a new job refused", () -> {
      long sent = System.nanoTime();
      refused[0] = vertx.eventBus().request(address, new JsonObject().put("ms", 1), patient).transform(Future::succeededFuture).await().cause();
      refusedAfterMs[0] = (System.nanoTime() - sent) / 1_000_000;
      return refused[0] != null;
    });
    assertThat(undeployed.isComplete()).as("refused while the stop still waits for the stuck job").isFalse();
    undeployed.await(20, TimeUnit.SECONDS);
    double took = (System.nanoTime() - started) / 1e9;

    assertThat(quick.await(5, TimeUnit.SECONDS).body()).isEqualTo(new JsonObject().put("done", true));
    Throwable handedBack = stuck.transform(Future::succeededFuture).await(5, TimeUnit.SECONDS).cause();
    assertThat(handedBack).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) handedBack).failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(((ReplyException) handedBack).failureCode()).isEqualTo(JobHandler.HANDED_BACK);
    assertThat(handedBack.getMessage()).contains("stopping");
    assertThat(refused[0]).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) refused[0]).failureType()).isIn(ReplyFailure.NO_HANDLERS, ReplyFailure.TIMEOUT);
    assertThat(refusedAfterMs[0]).as("refused at once, not after the request's 30 s").isLessThan(5_000);
    assertThat(took).as("the stop waited out the 2 s grace for the stuck job, no longer").isBetween(1.8, 8.0);
    consumer.stuck.getFirst().reply(new JsonObject()); // a late answer after the hand-back is dropped, harmlessly
  }

  @Test
  void thePollerMakesAHandedBackJobVisibleAtOnceAndNeverDeadLettersIt(Vertx vertx) throws Exception {
    String queue = newQueue("drain");
    PgmqClient client = new PgmqClient(Pools.create(vertx, dbs.trading(), 4, "drain-test"));
    AtomicInteger deliveries = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer(Addresses.job(queue), msg -> {
      if (deliveries.incrementAndGet() == 1) {
        msg.fail(JobHandler.HANDED_BACK, "handed back: the node running this job is stopping");
      } else {
        msg.reply(new JsonObject());
      }
    }).completion().await(5, TimeUnit.SECONDS);
    // an ordinary failure would be dead-lettered at once (one read allowed) or hidden for 10 minutes
    var config = dbs.config(Map.of("QUEUE_NAMES", queue, "QUEUE_IDLE_POLL", "100ms", "QUEUE_MAX_READS", "1", "QUEUE_BACKOFF_BASE", "10m", "QUEUE_BACKOFF_MAX", "10m")).queue();
    vertx.deployVerticle(new PgmqPollerVerticle(client, config)).await(10, TimeUnit.SECONDS);

    long id = client.send(queue, new JsonObject().put("n", 1)).await(10, TimeUnit.SECONDS);
    Eventually.await(Duration.ofSeconds(15), "the job archived at its second delivery", () ->
        Sql.count(dbs.trading(), "select count(*) from pgmq.a_" + queue + " where msg_id = " + id) == 1);

    assertThat(deliveries.get()).isEqualTo(2);
    assertThat(Sql.count(dbs.trading(), "select read_ct from pgmq.a_" + queue + " where msg_id = " + id)).isEqualTo(2);
    assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.q_dead_letter where message ->> 'queue' = '" + queue + "'")).isZero();
  }

  /**
   * The poller that sent a job may be on another node, and the drain's failure is a bus message to
   * it: one still on its way when this node's Vert.x closes is lost. So the drain makes the message
   * visible again in the queue itself before failing it. Here no poller is waiting at all (the job
   * was read by hand, with a 10-minute visibility timeout, and its failure goes nowhere useful).
   */
  @Test
  void aDrainWithTheQueuesMakesAHandedBackMessageVisibleItselfWithoutThePollersHelp(Vertx vertx) throws Exception {
    String queue = newQueue("drainvt");
    PgmqClient client = new PgmqClient(Pools.create(vertx, dbs.trading(), 2, "drain-vt-test"));
    long id = client.send(queue, new JsonObject().put("stuck", true)).await(10, TimeUnit.SECONDS);
    QueueMessage read = client.read(queue, Duration.ofMinutes(10), 1).await(10, TimeUnit.SECONDS).getFirst();
    assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.q_" + queue + " where vt <= now()")).as("hidden by the read").isZero();

    String address = "test.drain.vt." + System.nanoTime();
    SlowConsumer consumer = new SlowConsumer(address, Duration.ofMillis(300), new JobDrain(queue, client));
    String deployment = vertx.deployVerticle(consumer).await(10, TimeUnit.SECONDS);
    DeliveryOptions asThePollerSendsIt = new DeliveryOptions().setSendTimeout(30_000).addHeader("msg_id", Long.toString(read.msgId()));
    Future<Message<Object>> job = vertx.eventBus().request(address, read.message(), asThePollerSendsIt);
    Eventually.await(Duration.ofSeconds(5), "the job is running", () -> consumer.stuck.size() == 1);

    vertx.undeploy(deployment).await(10, TimeUnit.SECONDS);

    assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.q_" + queue + " where msg_id = " + id + " and vt <= now()"))
        .as("visible again at once, set by the stopping node itself").isEqualTo(1);
    Throwable handedBack = job.transform(Future::succeededFuture).await(5, TimeUnit.SECONDS).cause();
    assertThat(((ReplyException) handedBack).failureCode()).isEqualTo(JobHandler.HANDED_BACK);
  }
}
