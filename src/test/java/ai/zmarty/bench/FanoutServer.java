package ai.zmarty.bench;

import ai.zmarty.Node;
import ai.zmarty.bus.Addresses;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * The node side of {@link FanoutBench}, in its own JVM so that neither side runs out of file
 * descriptors: an API node on its own embedded PostgreSQL, then commands on stdin. {@code publish
 * sse|ws|bridge COUNT GAP_MS START} publishes COUNT events (numbered from START; all -1, a warm-up, when START is negative) on the address that transport carries, each
 * stamped with {@code seq} and {@code sent_ns} ({@link System#nanoTime()}: one monotonic clock for
 * every process of the machine), and answers {@code published}.
 */
public final class FanoutServer {
  static final String BRIDGE_ADDRESS = "admin.fanout_bench";

  private FanoutServer() {}

  public static void main(String[] args) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Map<String, String> env = new java.util.HashMap<>(Map.of("ROLES", "api", "LOG_LEVEL", "warn", "LENS_WS_MAX_CONNECTIONS", "20000", "SIGNAL_STREAMS_MAX", "20000",
        "HTTP_IDLE_TIMEOUT", "10m", "LENS_WS_PING_INTERVAL", "5m", "LENS_WS_PONG_TIMEOUT", "10m"));
    if (System.getenv("EVENT_LOOPS") != null) {
      env.put("EVENT_LOOPS", System.getenv("EVENT_LOOPS")); // else the node's default: half the processors, at least one
    }
    // the Vert.x a node of these settings runs on
    Vertx vertx = Vertx.vertx(Node.vertxOptions(dbs.config(env)));
    TestNode node = TestNode.api(vertx, dbs, env);
    String operator = TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(UUID.randomUUID()).put("role", "service_role"));
    System.out.println("port=" + node.port());
    System.out.println("vertx=" + Node.transport(vertx) + ", " + Node.eventLoops(vertx) + " event loops");
    System.out.println("user=" + TestJwt.valid(UUID.randomUUID()));
    System.out.println("operator=" + operator);
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] cmd = line.trim().split(" ");
      if (cmd[0].equals("publish")) {
        int count = Integer.parseInt(cmd[2]);
        long gapMs = Long.parseLong(cmd[3]);
        int start = Integer.parseInt(cmd[4]);
        for (int i = 0; i < count; i++) {
          Thread.sleep(gapMs); // the gap between events is the bench's pacing, not a wait for a result
          publish(vertx, cmd[1], start < 0 ? -1 : start + i);
        }
        System.out.println("published");
        System.out.flush();
      } else if (cmd[0].equals("rss")) {
        System.out.println("rss_kb=" + FanoutBench.rssKb(ProcessHandle.current().pid()));
        System.out.flush();
      }
    }
    vertx.close().await();
    System.exit(0);
  }

  private static void publish(Vertx vertx, String transport, int seq) {
    String id = UUID.randomUUID().toString();
    switch (transport) {
      case "sse" -> vertx.eventBus().publish(Addresses.EVENTS_SIGNAL_CREATED, new JsonObject().put("event_id", id).put("id", seq).put("symbol", "BTC/USDT")
          .put("timeframe", "1h").put("direction", "long").put("score", 0.7).put("entry", 60000.0).put("stop", 59000.0).put("strategy", "bench")
          .put("reasons", new io.vertx.core.json.JsonArray().add("bench")).put("seq", seq).put("sent_ns", System.nanoTime()));
      case "ws" -> vertx.eventBus().publish(Addresses.EVENTS_LENS_DECISION, new JsonObject().put("decision_id", id).put("event_id", id).put("source", "bench")
          .put("symbol", "BTC/USDT").put("event_type", "OPEN_SIGNAL").put("direction", "long").put("model", "offline").put("status", "ok").put("decision", "ENTER")
          .put("confidence", 0.6).put("seq", seq).put("sent_ns", System.nanoTime()));
      case "bridge" -> vertx.eventBus().publish(BRIDGE_ADDRESS, new JsonObject().put("seq", seq).put("sent_ns", System.nanoTime()));
      default -> throw new IllegalArgumentException("transport must be sse, ws or bridge, got " + transport);
    }
  }
}
