package ai.zmarty.bench;

import ai.zmarty.bus.Addresses;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The lens fan-out: decisions published on the event bus of an API node, written to {@code
 * SUBSCRIBERS} WebSocket subscribers (raw clients on their own threads, all subscribed to
 * everything), timed from publish to each subscriber's receipt. Two rates: one decision a second
 * (the brief's 60 signals a minute) and 100 a second (6,000 a minute). Goal: p95 under 1 s at both.
 * Args: subscribers (100), seconds per rate (20).
 */
public final class LensFanoutBench {
  private LensFanoutBench() {}

  public static void main(String[] args) throws Exception {
    int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Vertx vertx = Vertx.vertx();
    TestNode node = TestNode.api(vertx, TestDatabases.migrated(), Map.of("LOG_LEVEL", "warn", "LENS_WS_MAX_CONNECTIONS", Integer.toString(subscribers + 10)));
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    BenchSubscribers subs = BenchSubscribers.open(node.port(), subscribers, (i, text, nanos, micros) -> latencies.add(nanos - new JsonObject(text).getJsonObject("data").getLong("sent_ns")));
    boolean ok = true;
    System.out.printf(Locale.ROOT, "lens fan-out, %d subscribers, %d s per rate%n", subscribers, seconds);
    System.out.printf(Locale.ROOT, "%-22s %10s %10s %10s %10s %10s   %s%n", "rate", "delivered", "p50 ms", "p95 ms", "p99 ms", "max ms", "goal p95 < 1000 ms");
    for (int perSecond : new int[] {1, 100}) {
      latencies.clear();
      int total = perSecond * seconds;
      long start = System.nanoTime();
      for (int n = 0; n < total; n++) {
        long due = start + n * 1_000_000_000L / perSecond;
        while (System.nanoTime() < due) {
          Thread.onSpinWait();
          if (due - System.nanoTime() > 2_000_000) {
            Thread.sleep(1); // pacing the publisher, not waiting for a result
          }
        }
        vertx.eventBus().publish(Addresses.EVENTS_LENS_DECISION, decision(n));
      }
      long expected = (long) total * subscribers;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (latencies.size() < expected && System.nanoTime() < deadline) {
        Thread.sleep(10); // polling a counter until every copy arrived or 30 s passed
      }
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      double p95 = pct(sorted, 0.95);
      ok &= sorted.length == expected && p95 < 1000;
      System.out.printf(Locale.ROOT, "%-22s %10s %10.1f %10.1f %10.1f %10.1f   %s%n", perSecond + "/s (" + perSecond * 60 + "/min)", sorted.length + "/" + expected,
          pct(sorted, 0.50), p95, pct(sorted, 0.99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6, sorted.length == expected && p95 < 1000 ? "met" : "MISSED");
    }
    subs.close();
    vertx.close().await(30, TimeUnit.SECONDS);
    System.exit(ok ? 0 : 1);
  }

  private static JsonObject decision(int n) {
    return new JsonObject().put("event_id", UUID.randomUUID().toString()).put("source", "bench").put("symbol", "BTC/USDT").put("event_type", "OPEN_SIGNAL")
        .put("direction", "long").put("model", "offline").put("status", "ok").put("decision", n % 2 == 0 ? "ENTER" : "WAIT").put("confidence", 0.6)
        .put("prompt_version", "bench").put("decided_at", java.time.Instant.now().toString()).put("sent_ns", System.nanoTime());
  }

  private static double pct(long[] sorted, double q) {
    return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }
}
