package ai.zmarty.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.db.Pools;
import ai.zmarty.queue.Job;
import ai.zmarty.queue.PgmqClient;
import ai.zmarty.queue.PgmqPollerVerticle;
import ai.zmarty.testing.ClusterNodes;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two clustered nodes in one JVM, Hazelcast over loopback TCP-IP, as `run --cluster` builds them. */
class ClusteredPollerTest {
  private Vertx node1;
  private Vertx node2;

  private static Map<String, String> with(Map<String, String> base, String key, int value) {
    Map<String, String> m = new java.util.HashMap<>(base);
    m.put(key, Integer.toString(value));
    return m;
  }

  @AfterEach
  void stop() throws Exception {
    for (Vertx v : new Vertx[] {node1, node2}) {
      if (v != null) {
        v.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aJobEnqueuedWhileOnlyNodeOnePollsIsHandledByAConsumerOnNodeTwo() throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    // Two ports free right now, one per node, so a build running beside this one cannot take them.
    int p1 = ClusterNodes.freePort();
    int p2 = ClusterNodes.freePort();
    Map<String, String> cluster =
        Map.of(
            "CLUSTER_NAME", "zmarty-test-" + ProcessHandle.current().pid(),
            "CLUSTER_HOST", "127.0.0.1",
            "CLUSTER_MEMBERS", "127.0.0.1:" + p1 + ",127.0.0.1:" + p2,
            "QUEUE_NAMES", "ingest_indicators",
            "QUEUE_IDLE_POLL", "200ms");
    ZmartyConfig config = dbs.config(with(cluster, "CLUSTER_PORT", p1));

    node1 = ClusterNodes.clustered(config);
    node2 = ClusterNodes.clustered(dbs.config(with(cluster, "CLUSTER_PORT", p2)));
    List<String> handledBy = new CopyOnWriteArrayList<>();
    List<Job> jobs = new CopyOnWriteArrayList<>();
    node2.eventBus().<JsonObject>consumer(Addresses.job("ingest_indicators"), msg -> {
      handledBy.add("node2");
      jobs.add(Job.fromJson(msg.body()));
      msg.reply(new JsonObject().put("handled_by", "node2"));
    }).completion().await(30, TimeUnit.SECONDS);

    Pool pool = Pools.create(node1, dbs.trading(), 4, "node1");
    PgmqClient client = new PgmqClient(pool);
    node1.deployVerticle(new PgmqPollerVerticle(client, config.queue())).await(30, TimeUnit.SECONDS);

    long id = client.send("ingest_indicators", new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "1h")).await(10, TimeUnit.SECONDS);

    Eventually.await(Duration.ofSeconds(30), "job handled on node 2 and archived", () -> Sql.count(dbs.trading(), "select count(*) from pgmq.a_ingest_indicators where msg_id = " + id) == 1);
    assertThat(handledBy).containsExactly("node2");
    assertThat(jobs.get(0).payload().getString("symbol")).isEqualTo("BTC/USDT");
    pool.close().await(5, TimeUnit.SECONDS);
  }
}
