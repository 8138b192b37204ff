package ai.zmarty.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the admin feed remembers between readings, and how it shapes them (no Vert.x, no I/O): the
 * last {@link #ERRORS} WARN/ERROR events, each node's latest report, and per queue the last hour
 * as one point a minute (the largest depth seen in the minute and the messages done in the minute
 * up to then). The history lives in the publishing node's memory: it restarts when another ops
 * node takes over publishing.
 */
final class FeedState {
  static final int ERRORS = 200;
  static final int MINUTES = 60;
  /** A node silent for this long has left (it reports every second). */
  static final Duration NODE_GONE = Duration.ofSeconds(5);

  private final Deque<JsonObject> errors = new ArrayDeque<>();
  private final Map<String, JsonObject> reports = new TreeMap<>();
  private final Map<String, Instant> seen = new HashMap<>();
  private final Map<String, TreeMap<Instant, long[]>> series = new HashMap<>();

  /** Keeps a WARN/ERROR event, dropping the oldest beyond {@link #ERRORS}. */
  void error(JsonObject event) {
    errors.addFirst(event);
    while (errors.size() > ERRORS) {
      errors.removeLast();
    }
  }

  /** {errors: [newest first], count}. */
  JsonObject errors() {
    return new JsonObject().put("errors", new JsonArray(List.copyOf(errors))).put("count", errors.size());
  }

  void report(JsonObject report, Instant at) {
    String node = report.getString("node");
    reports.put(node, report);
    seen.put(node, at);
  }

  /** The reports of nodes heard from within {@link #NODE_GONE} of {@code now}; the others are forgotten. */
  List<JsonObject> liveReports(Instant now) {
    seen.entrySet().removeIf(e -> e.getValue().isBefore(now.minus(NODE_GONE)) && reports.remove(e.getKey()) != null);
    return List.copyOf(reports.values());
  }

  /**
   * {queues: [{queue, depth, waiting, in_flight, delayed, oldest_age_sec, done_last_minute,
   * total_messages, paused, series: {minutes[], depth[], done[]}}]} from the latest statistics.
   */
  JsonObject queues(List<JsonObject> stats, Set<String> paused, Instant now) {
    Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
    JsonArray out = new JsonArray();
    for (JsonObject q : stats) {
      TreeMap<Instant, long[]> points = series.computeIfAbsent(q.getString("queue"), k -> new TreeMap<>());
      long[] p = points.computeIfAbsent(minute, k -> new long[2]);
      p[0] = Math.max(p[0], q.getLong("depth", 0L));
      p[1] = q.getLong("done_last_minute", 0L);
      points.headMap(minute.minus(MINUTES - 1, ChronoUnit.MINUTES)).clear();
      JsonArray minutes = new JsonArray();
      JsonArray depth = new JsonArray();
      JsonArray done = new JsonArray();
      points.forEach((m, v) -> {
        minutes.add(m.getEpochSecond());
        depth.add(v[0]);
        done.add(v[1]);
      });
      out.add(q.copy().put("paused", paused.contains(q.getString("queue"))).put("series", new JsonObject().put("minutes", minutes).put("depth", depth).put("done", done)));
    }
    return new JsonObject().put("queues", out);
  }

  /** {providers: [{provider, requests, errors, error_rate, breaker (open|closed), mean_ms, max_ms, nodes}]} summed over the nodes' reports. */
  static JsonObject providers(List<JsonObject> reports) {
    Map<String, JsonObject> byName = new LinkedHashMap<>();
    for (JsonObject r : reports) {
      for (Object o : r.getJsonArray("providers", new JsonArray())) {
        JsonObject p = (JsonObject) o;
        JsonObject sum = byName.computeIfAbsent(p.getString("provider"), k -> new JsonObject().put("provider", k).put("requests", 0L).put("errors", 0L)
            .put("breaker", "closed").put("mean_ms", 0.0).put("max_ms", 0.0).put("nodes", 0));
        long requests = sum.getLong("requests") + p.getLong("requests", 0L);
        // the mean over every node's answers, weighted by their counts
        double mean = requests == 0 ? 0 : (sum.getDouble("mean_ms") * sum.getLong("requests") + p.getDouble("mean_ms", 0.0) * p.getLong("requests", 0L)) / requests;
        sum.put("requests", requests).put("errors", sum.getLong("errors") + p.getLong("errors", 0L)).put("mean_ms", mean)
            .put("max_ms", Math.max(sum.getDouble("max_ms"), p.getDouble("max_ms", 0.0))).put("nodes", sum.getInteger("nodes") + 1);
        if (p.getBoolean("breaker_open", false)) {
          sum.put("breaker", "open");
        }
      }
    }
    byName.values().forEach(p -> {
      long attempts = p.getLong("requests") + p.getLong("errors");
      p.put("error_rate", attempts == 0 ? 0.0 : (double) p.getLong("errors") / attempts);
    });
    return new JsonObject().put("providers", new JsonArray(List.copyOf(byName.values())));
  }

  /** {nodes: [{node, roles, node_id, at}], members: n} from the live reports and the cluster manager's member count. */
  static JsonObject cluster(List<JsonObject> reports, int members) {
    JsonArray nodes = new JsonArray();
    reports.forEach(r -> nodes.add(new JsonObject().put("node", r.getString("node")).put("node_id", r.getString("node_id")).put("roles", r.getJsonArray("roles")).put("at", r.getString("at"))));
    return new JsonObject().put("nodes", nodes).put("members", members);
  }

  /** The chat outcomes since each node started, summed: {answered, refused_402, rate_limited_429, failed, cancelled}. */
  static JsonObject chatOutcomes(List<JsonObject> reports) {
    JsonObject sum = new JsonObject();
    for (String k : List.of("answered", "refused_402", "rate_limited", "failed", "cancelled")) {
      sum.put(k, reports.stream().mapToLong(r -> r.getJsonObject("chats", new JsonObject()).getLong(k, 0L)).sum());
    }
    return sum;
  }
}
