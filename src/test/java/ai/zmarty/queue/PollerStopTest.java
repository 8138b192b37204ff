package ai.zmarty.queue;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.db.Pools;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14: a node stopped gracefully (SIGTERM undeploys its verticles) takes no new job, lets the
 * jobs in flight finish within the grace, and hands back what is still running, visible at once,
 * instead of leaving it invisible until its visibility timeout.
 */
@ExtendWith(VertxExtension.class)
class PollerStopTest {
  private static final TestDatabases.Pair dbs = TestDatabases.migrated();

  @Test
  void aStoppingPollerLetsAQuickJobFinishAndHandsBackAStuckOneAtOnce(Vertx vertx) throws Exception {
    String queue = "stop" + System.nanoTime() % 100_000;
    Sql.exec(dbs.trading(), "select pgmq.create('" + queue + "')");
    Pool pool = Pools.create(vertx, dbs.trading(), 4, "stop-test");
    PgmqClient client = new PgmqClient(pool);
    List<Message<JsonObject>> held = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.job(queue), msg -> {
      if (msg.body().getJsonObject("payload").getBoolean("stuck")) {
        held.add(msg); // never answered: a job that outlives the grace
      } else {
        vertx.setTimer(1_500, id -> msg.reply(new JsonObject())); // finishes within the grace
      }
    }).completion().await(5, TimeUnit.SECONDS);
    var config = dbs.config(Map.of("QUEUE_NAMES", queue, "QUEUE_IDLE_POLL", "100ms", "QUEUE_VISIBILITY_TIMEOUT", "10m", "QUEUE_HANDLER_TIMEOUT", "5m")).queue();
    String deployment = vertx.deployVerticle(new PgmqPollerVerticle(client, config)).await(10, TimeUnit.SECONDS);

    long quick = client.send(queue, new JsonObject().put("stuck", false)).await(10, TimeUnit.SECONDS);
    long stuck = client.send(queue, new JsonObject().put("stuck", true)).await(10, TimeUnit.SECONDS);
    Eventually.await(Duration.ofSeconds(10), "both jobs in flight", () -> Sql.count(dbs.trading(), "select count(*) from pgmq.q_" + queue + " where read_ct = 1 and vt > now() + interval '5 minutes'") == 2);

    long started = System.nanoTime();
    vertx.undeploy(deployment).await(30, TimeUnit.SECONDS);
    double took = (System.nanoTime() - started) / 1e9;

    assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.a_" + queue + " where msg_id = " + quick)).as("the quick job finished and was archived").isEqualTo(1);
    assertThat(Sql.one(dbs.trading(), "select (vt <= now()) || ' ' || read_ct from pgmq.q_" + queue + " where msg_id = " + stuck))
        .as("the stuck job is back in its queue, visible now, not in 10 minutes").isEqualTo("true 1");
    assertThat(took).as("stopping waited out the grace, no longer").isBetween((double) PgmqPollerVerticle.STOP_GRACE.toSeconds() - 0.5, PgmqPollerVerticle.STOP_GRACE.toSeconds() + 8.0);
    assertThat(held).hasSize(1);
    // nothing more was read after the stop began
    assertThat(Sql.count(dbs.trading(), "select read_ct from pgmq.q_" + queue + " where msg_id = " + stuck)).isEqualTo(1);
  }
}
