package ai.zmarty.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.cluster.HazelcastSetup;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two clustered ops nodes in one JVM (Hazelcast over loopback): one publishes the feed, the other takes over when it leaves. */
class AdminFeedClusterTest {
  private Vertx node1;
  private Vertx node2;

  private static Vertx clustered(ZmartyConfig config) throws Exception {
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(HazelcastSetup.eventBusOptions(config.cluster())))
        .withClusterManager(HazelcastSetup.clusterManager(config.cluster()))
        .buildClustered()
        .await(90, TimeUnit.SECONDS);
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
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
  void oneOpsNodePublishesAndAnotherTakesOverWhenItLeaves() throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    int p1 = freePort();
    int p2 = freePort();
    Map<String, String> env = new HashMap<>(Map.of("CLUSTER_NAME", "zmarty-feed-" + ProcessHandle.current().pid(), "CLUSTER_HOST", "127.0.0.1",
        "CLUSTER_MEMBERS", "127.0.0.1:" + p1 + ",127.0.0.1:" + p2, "ROLES", "ops", "SCHEDULER_INGEST_CRON", "0 3 1 1 *", "SCHEDULER_WINRATE_CRON", "0 3 1 1 *", "NIGHTLY_CRON", "0 3 1 1 *"));
    env.put("CLUSTER_PORT", Integer.toString(p1));
    ZmartyConfig c1 = dbs.config(env);
    env.put("CLUSTER_PORT", Integer.toString(p2));
    ZmartyConfig c2 = dbs.config(env);
    node1 = clustered(c1);
    node2 = clustered(c2);
    List<String> publishers = new CopyOnWriteArrayList<>();
    node2.eventBus().<JsonObject>consumer(Addresses.ADMIN_CLUSTER, m -> publishers.add(m.body().getString("by"))).completion().await(10, TimeUnit.SECONDS);
    TestNode.start(node1, c1, dbs.chat(), dbs.trading());
    TestNode.start(node2, c2, dbs.chat(), dbs.trading());

    // both nodes report; the snapshots come from one of them only
    Eventually.await(Duration.ofSeconds(30), "admin.cluster listing both nodes", () -> publishers.size() > 3);
    int seen = publishers.size();
    Eventually.await(Duration.ofSeconds(30), "six more snapshots", () -> publishers.size() >= seen + 6);
    List<String> recent = List.copyOf(publishers.subList(seen, publishers.size()));
    assertThat(recent.stream().distinct().toList()).hasSize(1);
    String first = recent.get(0);
    String id1 = NodeReporter.nodeId(node1);
    String id2 = NodeReporter.nodeId(node2);
    assertThat(first).isIn(id1, id2);

    // the publisher leaves the cluster: the other takes over within a few seconds
    Vertx leaving = first.equals(id1) ? node1 : node2;
    String other = first.equals(id1) ? id2 : id1;
    List<String> after = new CopyOnWriteArrayList<>();
    Vertx staying = leaving == node1 ? node2 : node1;
    staying.eventBus().<JsonObject>consumer(Addresses.ADMIN_CLUSTER, m -> after.add(m.body().getString("by"))).completion().await(10, TimeUnit.SECONDS);
    leaving.close().await(30, TimeUnit.SECONDS);
    if (leaving == node1) {
      node1 = null;
    } else {
      node2 = null;
    }
    Eventually.await(Duration.ofSeconds(30), "snapshots from the other node", () -> after.contains(other));
  }
}
