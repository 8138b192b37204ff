package ai.zmarty.admin;

import ai.zmarty.bus.Addresses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Every node's heartbeat for the dashboard: each second it publishes on {@code ops.node.report}
 * who it is (node, roles) and what its own metrics say about chats (outcomes since it started) and
 * model providers (answers, failures, breaker, latency). The ops role's feed sums them. While it
 * runs, the node's WARN and ERROR events go out too ({@link LogFeed}); it stops with its Vert.x.
 */
public final class NodeReporter extends VerticleBase {
  static final long EVERY_MS = 1_000;
  private final String node;
  private final List<String> roles;
  private final MeterRegistry registry;
  private Runnable detachLogs = () -> {};

  public NodeReporter(String node, List<String> roles, MeterRegistry registry) {
    this.node = node;
    this.roles = List.copyOf(roles);
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    detachLogs = LogFeed.attach(vertx, node);
    vertx.setPeriodic(0, EVERY_MS, id -> vertx.eventBus().publish(Addresses.OPS_NODE_REPORT, report(registry, node, roles, nodeId(), Instant.now())));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    detachLogs.run();
    return Future.succeededFuture();
  }

  private String nodeId() {
    return nodeId(vertx);
  }

  /** The cluster member id of {@code vertx}, or {@code local} when it is not clustered. */
  static String nodeId(io.vertx.core.Vertx vertx) {
    var cluster = ((io.vertx.core.internal.VertxInternal) vertx).clusterManager();
    return cluster == null ? "local" : cluster.getNodeId();
  }

  /** {@code base} (host:pid), with the start of the member id when clustered: several nodes in one process stay apart. */
  public static String nodeName(io.vertx.core.Vertx vertx, String base) {
    String id = nodeId(vertx);
    return "local".equals(id) ? base : base + "/" + id.substring(0, Math.min(8, id.length()));
  }

  /** {node, node_id, roles, at, chats: {outcome: n}, providers: [{provider, requests, errors, breaker_open, mean_ms, max_ms}]}. */
  static JsonObject report(MeterRegistry registry, String node, List<String> roles, String nodeId, Instant at) {
    JsonObject chats = new JsonObject();
    Map<String, JsonObject> providers = new TreeMap<>();
    for (Counter c : registry.find("zmarty.chat.requests").counters()) {
      String outcome = c.getId().getTag("outcome");
      chats.put(outcome, chats.getLong(outcome, 0L) + (long) c.count());
      if ("answered".equals(outcome)) {
        provider(providers, c.getId().getTag("provider")).put("requests", (long) c.count());
      }
    }
    for (Counter c : registry.find("zmarty.provider.errors").counters()) {
      JsonObject p = provider(providers, c.getId().getTag("provider"));
      p.put("errors", p.getLong("errors") + (long) c.count());
    }
    for (Gauge g : registry.find("zmarty.provider.breaker.open").gauges()) {
      provider(providers, g.getId().getTag("provider")).put("breaker_open", g.value() > 0);
    }
    for (Timer t : registry.find("zmarty.chat.duration").timers()) {
      provider(providers, t.getId().getTag("provider")).put("mean_ms", t.mean(TimeUnit.MILLISECONDS)).put("max_ms", t.max(TimeUnit.MILLISECONDS));
    }
    providers.remove("none"); // chats no provider answered: refused or rate limited, counted in chats
    return new JsonObject().put("node", node).put("node_id", nodeId).put("roles", new JsonArray(roles.stream().map(r -> r.toLowerCase(Locale.ROOT)).toList()))
        .put("at", at.toString()).put("chats", chats).put("providers", new JsonArray(List.copyOf(providers.values())));
  }

  private static JsonObject provider(Map<String, JsonObject> providers, String name) {
    return providers.computeIfAbsent(name, k -> new JsonObject().put("provider", k).put("requests", 0L).put("errors", 0L).put("breaker_open", false).put("mean_ms", 0.0).put("max_ms", 0.0));
  }
}
