package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.demo.DemoSeed;
import ai.zmarty.demo.DemoSignal;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import ai.zmarty.testing.ClusterNodes;
import ai.zmarty.testing.RawWebSocket;
import ai.zmarty.testing.RawWebSocket.Frame;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A decision made on a worker node reaches a socket on an API node: two clustered nodes in one JVM
 * (Hazelcast over loopback TCP-IP, as {@code run --cluster} builds them); the API node takes the
 * signal, only the worker enriches and evaluates it (simulated market, offline evaluator).
 */
class DecisionSocketClusterTest {
  private static final String KEY = "zks_cluster-test-key-0123456789abcdefghijklmnopq";
  private Vertx apiVertx;
  private Vertx workerVertx;

  @AfterEach
  void stop() throws Exception {
    for (Vertx v : new Vertx[] {workerVertx, apiVertx}) {
      if (v != null) {
        v.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aDecisionMadeOnTheWorkerReachesASocketOnTheApiNode() throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Decisions.source(dbs.trading(), DemoSeed.DEMO_SOURCE, KEY, false);
    int p1 = ClusterNodes.freePort();
    int p2 = ClusterNodes.freePort();
    Map<String, String> cluster = Map.of(
        "CLUSTER_NAME", "zmarty-ws-" + ProcessHandle.current().pid(),
        "CLUSTER_HOST", "127.0.0.1",
        "CLUSTER_MEMBERS", "127.0.0.1:" + p1 + ",127.0.0.1:" + p2);
    Map<String, String> api = new HashMap<>(cluster);
    api.put("CLUSTER_PORT", Integer.toString(p1));
    api.put("ROLES", "api");
    Map<String, String> worker = new HashMap<>(cluster);
    worker.put("CLUSTER_PORT", Integer.toString(p2));
    worker.put("ROLES", "worker");
    worker.put("QUEUE_NAMES", "lens_enrich,lens_evaluate");
    worker.put("QUEUE_IDLE_POLL", "100ms");
    ZmartyConfig apiConfig = dbs.config(api);
    ZmartyConfig workerConfig = dbs.config(worker);
    apiVertx = ClusterNodes.clustered(apiConfig);
    workerVertx = ClusterNodes.clustered(workerConfig);
    TestNode apiNode = TestNode.start(apiVertx, apiConfig, dbs.chat(), dbs.trading());
    TestNode.start(workerVertx, workerConfig, dbs.chat(), dbs.trading());

    try (RawWebSocket ws = RawWebSocket.connect(apiNode.port(), "/ws/decisions", Map.of("Authorization", "Bearer " + TestJwt.valid(UUID.randomUUID())))) {
      assertThat(ws.nextJson(Duration.ofSeconds(10)).getString("type")).isEqualTo("ready");
      ws.sendText("{\"op\":\"subscribe\"}");
      assertThat(ws.nextJson(Duration.ofSeconds(10)).getString("type")).isEqualTo("subscribed");
      JsonObject decision = Decisions.decision("gpt", "BTC/USDT", "OPEN_SIGNAL");
      // the API node's consumer is known cluster-wide once its registration has spread: publish
      // until the first copy arrives (each try waits for it), then check it is the decision itself
      JsonObject frame = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (frame == null && System.nanoTime() < deadline) {
        workerVertx.eventBus().publish(Addresses.EVENTS_LENS_DECISION, decision);
        Frame f = ws.next(Duration.ofSeconds(2));
        if (f != null && f.opcode() == RawWebSocket.PING) {
          ws.sendPong(f.payload());
        } else if (f != null) {
          frame = f.json();
        }
      }
      assertThat(frame).isEqualTo(new JsonObject().put("type", "decision").put("data", decision));

      // a signal posted to the API node (priced at the market's mid) is judged on the worker; its decision reaches the socket
      DemoSignal signal = DemoSignal.quoted(apiVertx, apiConfig.market(), "http://127.0.0.1:" + apiNode.port(), KEY, "BTC/USDT").await(60, TimeUnit.SECONDS);
      HttpRequest<Buffer> post = apiNode.client().postAbs(signal.url());
      signal.headers().forEach(post::putHeader);
      HttpResponse<Buffer> accepted = post.sendJsonObject(signal.body(Instant.now())).await(30, TimeUnit.SECONDS);
      assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
      String eventId = accepted.bodyAsJsonObject().getString("event_id");
      JsonObject made = ws.nextJson(Duration.ofSeconds(60));
      assertThat(made.getString("type")).isEqualTo("decision");
      assertThat(made.getJsonObject("data").getString("event_id")).isEqualTo(eventId);
      assertThat(made.getJsonObject("data").getString("model")).isEqualTo("offline");
      // (ROLES=api deploys no enrichment or evaluation verticle: only the worker node could have made it)
    }
  }
}
