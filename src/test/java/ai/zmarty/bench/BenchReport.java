package ai.zmarty.bench;

import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lens pipeline bench's figures: per phase, the stage latencies from database B's timestamps
 * and the subscribers' receipts, printed side by side with the goals.
 */
final class BenchReport {
  static final List<String> STAGES = List.of("intake (HTTP answer)", "enrich pickup (queue)", "enrichment", "evaluate pickup (queue)", "evaluation",
      "fan-out", "end to end");

  /** One phase's samples (milliseconds) per stage and its counts. */
  record Result(Map<String, double[]> stages, String counts, boolean complete, String cpu) {
    Result withCpu(String line) {
      return new Result(stages, counts, complete, line);
    }
  }

  private final Map<LensPipelineBench.Phase, Result> results = new LinkedHashMap<>();
  private boolean allMet = true;

  void add(LensPipelineBench.Phase p, Result r) {
    results.put(p, r);
  }

  boolean allMet() {
    return allMet;
  }

  private static final String EVENTS = """
      select e.event_id::text, e.status,
             extract(epoch from e.received_at) * 1e6, extract(epoch from e.enriched_at) * 1e6, extract(epoch from e.evaluated_at) * 1e6,
             (select extract(epoch from min(t.at)) * 1e6 from lens.processing_timeline t where t.event_id = e.event_id and t.stage = 'enrich_started'),
             (select extract(epoch from min(t.at)) * 1e6 from lens.processing_timeline t where t.event_id = e.event_id and t.stage = 'evaluate_started')
      from lens.events e where e.source like ?""";

  static Result measure(PgUrl trading, String sources, int posted, Map<Integer, AtomicInteger> statuses, java.util.Collection<Long> intakeNanos,
      java.util.Collection<BenchSubscribers.Receipt> receipts, long expectedCopies) throws Exception {
    Map<String, List<Double>> s = new LinkedHashMap<>();
    STAGES.forEach(n -> s.put(n, new ArrayList<>()));
    intakeNanos.forEach(n -> s.get("intake (HTTP answer)").add(n / 1e6));
    Map<String, double[]> byEvent = new HashMap<>(); // received, evaluated (micros)
    Map<String, Integer> byStatus = new TreeMap<>();
    try (Connection c = Sql.connect(trading); PreparedStatement q = c.prepareStatement(EVENTS)) {
      q.setString(1, sources);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          byStatus.merge(r.getString(2), 1, Integer::sum);
          double received = r.getDouble(3);
          double enriched = r.getDouble(4);
          double evaluated = r.getDouble(5);
          add(s, "enrich pickup (queue)", received, r.getDouble(6));
          add(s, "enrichment", received, enriched);
          add(s, "evaluate pickup (queue)", enriched, r.getDouble(7));
          add(s, "evaluation", enriched, evaluated);
          byEvent.put(r.getString(1), new double[] {received, evaluated});
        }
      }
    }
    for (BenchSubscribers.Receipt rc : receipts) {
      double[] e = byEvent.get(rc.eventId());
      if (e != null) {
        add(s, "fan-out", e[1], rc.atMicros());
        add(s, "end to end", e[0], rc.atMicros());
      }
    }
    Map<String, double[]> sorted = new LinkedHashMap<>();
    s.forEach((k, v) -> sorted.put(k, v.stream().mapToDouble(Double::doubleValue).sorted().toArray()));
    String counts = String.format(Locale.ROOT, "posted %d, HTTP %s, events %s, socket copies %d/%d", posted, new TreeMap<>(statuses), byStatus, receipts.size(), expectedCopies);
    boolean complete = receipts.size() == expectedCopies && byStatus.getOrDefault("published", 0) == posted;
    if (!complete) { // which copies are missing: whole decisions (the node) or some subscribers' (the sockets)
      Map<Integer, Long> perSubscriber = new TreeMap<>();
      java.util.Set<String> decisions = new java.util.HashSet<>();
      for (BenchSubscribers.Receipt rc : receipts) {
        perSubscriber.merge(rc.subscriber(), 1L, Long::sum);
        decisions.add(rc.eventId() + "/" + rc.model());
      }
      LongSummaryStatistics st = perSubscriber.values().stream().mapToLong(Long::longValue).summaryStatistics();
      counts += String.format(Locale.ROOT, "; %d decisions seen by any subscriber, %d subscribers read any, copies per subscriber %d–%d",
          decisions.size(), perSubscriber.size(), st.getMin(), st.getMax());
    }
    return new Result(sorted, counts, complete, "");
  }

  /** From {@code fromMicros} to {@code toMicros} in ms, when both are there (a column is 0 when null). */
  private static void add(Map<String, List<Double>> s, String stage, double fromMicros, double toMicros) {
    if (fromMicros > 0 && toMicros > 0) {
      s.get(stage).add((toMicros - fromMicros) / 1000.0);
    }
  }

  /** The goals of the brief: p95 in ms per phase and stage; NaN: no goal. */
  private static double goal(LensPipelineBench.Phase phase, String stage) {
    return switch (phase.source() + ":" + stage) {
      case "bench-a:end to end" -> 6000;
      case "bench-a:enrichment" -> 2000;
      case "bench-a:evaluation" -> 3000;
      case "bench-a:fan-out" -> 1000;
      case "bench-b:end to end" -> 250;
      default -> Double.NaN;
    };
  }

  void print(int subscribers) {
    List<LensPipelineBench.Phase> phases = new ArrayList<>(results.keySet());
    System.out.printf(Locale.ROOT, "lens pipeline, 1 node (api+worker), %d WebSocket subscribers; ms%n", subscribers);
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-24s", "stage"));
    for (LensPipelineBench.Phase p : phases) {
      head.append(String.format(Locale.ROOT, " | %-50s", p.name()));
    }
    System.out.println(head);
    StringBuilder sub = new StringBuilder(String.format(Locale.ROOT, "%-24s", ""));
    phases.forEach(p -> sub.append(String.format(Locale.ROOT, " | %8s %8s %8s %8s %14s", "p50", "p95", "p99", "n", "goal p95")));
    System.out.println(sub);
    for (String stage : STAGES) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-24s", stage));
      for (int i = 0; i < phases.size(); i++) {
        double[] v = results.get(phases.get(i)).stages().get(stage);
        double g = goal(phases.get(i), stage);
        double p95 = pct(v, 0.95);
        String verdict = Double.isNaN(g) ? "" : String.format(Locale.ROOT, "< %.0f %s", g, v.length > 0 && p95 < g ? "met" : "MISSED");
        allMet &= Double.isNaN(g) || (v.length > 0 && p95 < g);
        line.append(String.format(Locale.ROOT, " | %8.1f %8.1f %8.1f %8d %14s", pct(v, 0.5), p95, pct(v, 0.99), v.length, verdict));
      }
      System.out.println(line);
    }
    results.forEach((p, r) -> {
      allMet &= r.complete();
      System.out.println(p.name() + ": " + r.counts() + (r.complete() ? "" : "  INCOMPLETE: not every signal published or not every copy delivered"));
      if (!r.cpu().isEmpty()) {
        System.out.println(p.name() + ": " + r.cpu());
      }
    });
  }

  static double pct(double[] sorted, double q) {
    return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(q * sorted.length) - 1))];
  }
}
