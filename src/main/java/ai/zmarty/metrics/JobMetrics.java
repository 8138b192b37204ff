package ai.zmarty.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The work queues' series, labelled by queue name (the configured queues and the dead-letter
 * queue): jobs by outcome and their duration, counted by the poller that handled them, and each
 * queue's depth and oldest message's age, read from pgmq before a scrape.
 */
public final class JobMetrics {
  /** What the poller did with a job. */
  public enum Outcome {
    ARCHIVED,
    RETRIED,
    DEAD_LETTERED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private record QueueMeters(Map<Outcome, Counter> outcomes, Timer duration) {}

  private record Depth(AtomicLong messages, AtomicLong oldestSeconds) {}

  private final MeterRegistry registry;
  private final Map<String, QueueMeters> queues = new ConcurrentHashMap<>();
  private final Map<String, Depth> depths = new ConcurrentHashMap<>();

  JobMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Makes a queue's job meters now, so they read 0 before its first job. */
  public void register(String queue) {
    meters(queue);
  }

  /** One job handled: how it ended and how long it took from hand-out to its outcome being recorded. */
  public void job(String queue, Outcome outcome, long nanos) {
    QueueMeters m = meters(queue);
    m.outcomes().get(outcome).increment();
    m.duration().record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A queue's depth and the age of its oldest message ({@code null}: empty) as pgmq reported them. */
  public void depth(String queue, long messages, Integer oldestSeconds) {
    Depth d = depths.computeIfAbsent(queue, q -> {
      Depth fresh = new Depth(new AtomicLong(), new AtomicLong());
      Gauge.builder("zmarty.queue.depth", fresh.messages(), AtomicLong::get).description("Messages in the queue, visible or not").tag("queue", q).register(registry);
      Gauge.builder("zmarty.queue.oldest.age", fresh.oldestSeconds(), AtomicLong::get).description("Age of the queue's oldest message (0 when empty)").baseUnit("seconds").tag("queue", q).register(registry);
      return fresh;
    });
    d.messages().set(messages);
    d.oldestSeconds().set(oldestSeconds == null ? 0 : oldestSeconds);
  }

  private QueueMeters meters(String queue) {
    return queues.computeIfAbsent(queue, q -> {
      Map<Outcome, Counter> outcomes = new java.util.EnumMap<>(Outcome.class);
      for (Outcome o : Outcome.values()) {
        outcomes.put(o, Counter.builder("zmarty.jobs").description("Queue jobs by outcome").tag("queue", q).tag("outcome", o.label()).register(registry));
      }
      return new QueueMeters(outcomes, Timer.builder("zmarty.job.duration").description("Queue job time, from hand-out to its outcome recorded").tag("queue", q).serviceLevelObjectives(Buckets.JOB).register(registry));
    });
  }
}
