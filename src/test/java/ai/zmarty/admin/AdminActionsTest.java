package ai.zmarty.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.LogLines;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Operators' actions through the bridge, against real queues in database B and a real poller. */
@ExtendWith(VertxExtension.class)
class AdminActionsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** A letter as the poller writes it into the dead-letter queue. */
  static void deadLetter(TestDatabases.Pair dbs, String queue, String error, String payload) {
    Sql.exec(dbs.trading(), "select pgmq.send('dead_letter', jsonb_build_object('queue', '" + queue + "', 'msg_id', 7, 'read_ct', 5, 'enqueued_at', now()::text,"
        + " 'failed_at', now()::text, 'error', '" + error + "', 'message', '" + payload + "'::jsonb, 'headers', '{}'::jsonb))");
  }

  private static JsonObject reply(BridgeSocket s, String address, JsonObject body) throws InterruptedException {
    String replyAddress = "r-" + UUID.randomUUID().toString().substring(0, 8);
    s.send(address, body, BridgeSocket.bearer(AdminBridgeTest.SERVICE), replyAddress);
    return s.await(WAIT, "reply on " + address, f -> replyAddress.equals(f.getString("address")));
  }

  @Test
  void deadLetterGroupsAreListedRetriedDiscardedAndRetriedOneByOneWithTheOperatorLogged(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.all(vertx, dbs, AdminBridgeTest.QUIET);
    deadLetter(dbs, "compute_signals", "handler failed (500): boom", "{\"symbol\":\"BTC/USDT\",\"timeframe\":\"1h\"}");
    deadLetter(dbs, "compute_signals", "handler failed (500): boom", "{\"symbol\":\"ETH/USDT\",\"timeframe\":\"1h\"}");
    deadLetter(dbs, "ingest_indicators", "handler timed out", "{\"symbol\":\"SOL/USDT\",\"timeframe\":\"4h\"}");
    deadLetter(dbs, "compute_winrate", "no handler registered", "{}");

    try (BridgeSocket s = BridgeSocket.open(vertx, node.port(), null); LogLines logs = LogLines.capture()) {
      s.register(Addresses.ADMIN_DLQ, BridgeSocket.bearer(AdminBridgeTest.SERVICE));
      JsonObject dlq = s.awaitRec(WAIT, Addresses.ADMIN_DLQ, b -> b.getLong("total", 0L) == 4);
      JsonArray groups = dlq.getJsonArray("groups");
      assertThat(groups).hasSize(3);
      JsonObject boom = group(groups, "compute_signals");
      assertThat(boom.getString("error")).isEqualTo("handler failed (500): boom");
      assertThat(boom.getLong("count")).isEqualTo(2);
      assertThat(boom.getString("first_seen")).isNotNull();
      assertThat(boom.getString("last_seen")).isNotNull();
      assertThat(boom.getJsonObject("example").getString("symbol")).isIn("BTC/USDT", "ETH/USDT");
      assertThat(boom.getJsonArray("letters").stream().map(l -> ((JsonObject) l).getJsonObject("record").getString("label")).toList())
          .containsExactlyInAnyOrder("BTC/USDT 1h", "ETH/USDT 1h");

      // retry the group: both back in compute_signals with their payloads, out of the dead letters
      JsonObject retried = reply(s, Addresses.ADMIN_DLQ_RETRY_GROUP, new JsonObject().put("queue", "compute_signals").put("error", "handler failed (500): boom"));
      assertThat(retried.getString("type")).isEqualTo("rec");
      assertThat(retried.getJsonObject("body").getInteger("count")).isEqualTo(2);
      assertThat(Sql.column(dbs.trading(), "select message->>'symbol' from pgmq.q_compute_signals order by 1")).containsExactly("BTC/USDT", "ETH/USDT");
      assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.q_dead_letter")).isEqualTo(2);
      logs.await(WAIT, 1, "admin action=dlq.retry_group", "operator=" + AdminBridgeTest.SERVICE_SUB + " (service_role)");
      // the feed publishes the change at once (not only on its next second)
      s.awaitRec(WAIT, Addresses.ADMIN_DLQ, b -> b.getLong("total", 0L) == 2);

      // discard a group: out of the queue, kept in its archive
      JsonObject discarded = reply(s, Addresses.ADMIN_DLQ_DISCARD_GROUP, new JsonObject().put("queue", "compute_winrate").put("error", "no handler registered"));
      assertThat(discarded.getJsonObject("body").getLong("discarded")).isEqualTo(1);
      assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.a_dead_letter where message->>'queue' = 'compute_winrate'")).isEqualTo(1);
      assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.q_compute_winrate")).isZero();

      // retry one letter by its id; the same id again is a 404
      long id = Long.parseLong(Sql.one(dbs.trading(), "select msg_id from pgmq.q_dead_letter where message->>'queue' = 'ingest_indicators'"));
      JsonObject one = reply(s, Addresses.ADMIN_DLQ_RETRY, new JsonObject().put("id", id));
      assertThat(one.getJsonObject("body").getJsonArray("moved").getJsonObject(0).getString("queue")).isEqualTo("ingest_indicators");
      assertThat(Sql.one(dbs.trading(), "select message->>'symbol' from pgmq.q_ingest_indicators")).isEqualTo("SOL/USDT");
      JsonObject again = reply(s, Addresses.ADMIN_DLQ_RETRY, new JsonObject().put("id", id));
      assertThat(again.getString("type")).isEqualTo("err");
      assertThat(again.getInteger("failureCode")).isEqualTo(404);
      assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.q_dead_letter")).isZero();
    }
  }

  private static JsonObject group(JsonArray groups, String queue) {
    return groups.stream().map(JsonObject.class::cast).filter(g -> g.getString("queue").equals(queue)).findFirst().orElseThrow();
  }

  @Test
  void aPausedQueueIsNotReadByThePollerUntilResumedAndCronRunsNow(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Map<String, String> env = new HashMap<>(AdminBridgeTest.QUIET);
    env.put("ROLES", "api,worker,ops");
    env.put("QUEUE_IDLE_POLL", "200ms");
    TestNode node = TestNode.all(vertx, dbs, env);
    try (BridgeSocket s = BridgeSocket.open(vertx, node.port(), null); LogLines logs = LogLines.capture()) {
      JsonObject paused = reply(s, Addresses.ADMIN_QUEUE_PAUSE, new JsonObject().put("queue", "compute_winrate"));
      logs.await(WAIT, 1, "pgmq poller paused queues now [compute_winrate]");
      assertThat(paused.getJsonObject("body").getBoolean("paused")).isTrue();
      assertThat(Sql.one(dbs.trading(), "select paused_by from public.queue_pauses where queue_name = 'compute_winrate'")).contains("service_role");
      Sql.exec(dbs.trading(), "select pgmq.send('compute_winrate', '{}'::jsonb)");
      Sql.exec(dbs.trading(), "select pgmq.send('compute_signals', '{\"symbol\":\"BTC/USDT\",\"timeframe\":\"1h\"}'::jsonb)");
      // the poller has gone round since: the unpaused queue's job is done, the paused one's never read
      Eventually.await(WAIT, "the compute_signals job archived", () -> Sql.count(dbs.trading(), "select count(*) from pgmq.a_compute_signals") == 1);
      Sql.exec(dbs.trading(), "select pgmq.send('compute_signals', '{\"symbol\":\"ETH/USDT\",\"timeframe\":\"1h\"}'::jsonb)");
      Eventually.await(WAIT, "a second compute_signals job archived", () -> Sql.count(dbs.trading(), "select count(*) from pgmq.a_compute_signals") == 2);
      assertThat(Sql.one(dbs.trading(), "select read_ct from pgmq.q_compute_winrate")).isEqualTo("0");

      s.register(Addresses.ADMIN_QUEUES, BridgeSocket.bearer(AdminBridgeTest.SERVICE));
      s.awaitRec(WAIT, Addresses.ADMIN_QUEUES, b -> queue(b, "compute_winrate").getBoolean("paused"));

      JsonObject resumed = reply(s, Addresses.ADMIN_QUEUE_RESUME, new JsonObject().put("queue", "compute_winrate"));
      assertThat(resumed.getJsonObject("body").getBoolean("changed")).isTrue();
      Eventually.await(WAIT, "the compute_winrate job read after the resume", () -> Sql.count(dbs.trading(), "select count(*) from pgmq.a_compute_winrate") == 1);

      JsonObject unknown = reply(s, Addresses.ADMIN_QUEUE_PAUSE, new JsonObject().put("queue", "no_such_queue"));
      assertThat(unknown.getInteger("failureCode")).isEqualTo(404);

      // run a cron job now: the scheduler runs compute_winrate's enqueue (the worker then takes it)
      JsonObject ran = reply(s, Addresses.ADMIN_CRON_RUN, new JsonObject().put("job", "compute_winrate"));
      assertThat(ran.getJsonObject("body").getString("status")).isEqualTo("succeeded");
      assertThat(Sql.count(dbs.trading(), "select count(*) from public.scheduler_runs where job = 'compute_winrate' and trigger = 'manual'")).isEqualTo(1);
      JsonObject noJob = reply(s, Addresses.ADMIN_CRON_RUN, new JsonObject().put("job", "nope"));
      assertThat(noJob.getInteger("failureCode")).isEqualTo(404);
    }
  }

  static JsonObject queue(JsonObject snapshot, String name) {
    return snapshot.getJsonArray("queues").stream().map(JsonObject.class::cast).filter(q -> q.getString("queue").equals(name)).findFirst().orElseThrow();
  }
}
