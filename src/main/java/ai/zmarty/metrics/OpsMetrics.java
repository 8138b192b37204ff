package ai.zmarty.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operations series: scheduler runs ({@code zmarty_scheduler_runs_total{job,outcome}} and each
 * job's last run and period, for the "job late" alert), health ({@code zmarty_health_status{check}}:
 * 0 healthy, 1 warning, 2 critical), the sync outbox backlog and the nightly pipeline's last run.
 * {@code job} and {@code check} are the program's own fixed names, never input.
 */
public final class OpsMetrics {
  /** The scheduler outcomes: this node enqueued the slot, another node had, or claiming it failed. */
  public static final String FIRED = "fired";
  public static final String TAKEN_ELSEWHERE = "taken_elsewhere";
  public static final String FAILED = "failed";
  /** The nightly pipeline's run statuses. */
  public static final List<String> NIGHTLY_STATUSES = List.of("success", "partial", "failed");

  /** A health check's level. */
  public enum Level {
    HEALTHY,
    WARNING,
    CRITICAL
  }

  private final MeterRegistry registry;
  private final Map<String, Counter> runs = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastRun = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> health = new ConcurrentHashMap<>();
  private final AtomicLong outboxPending = new AtomicLong();
  private final AtomicReference<Double> nightlyLastRun = new AtomicReference<>(Double.NaN);
  private final Map<String, AtomicLong> nightlyStatus = new ConcurrentHashMap<>();

  OpsMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("zmarty.sync.outbox.pending", outboxPending, AtomicLong::get).description("Outbox rows neither delivered nor refused").register(registry);
    Gauge.builder("zmarty.nightly.last.run.timestamp", nightlyLastRun, AtomicReference::get).description("When the newest nightly run ended, Unix seconds (NaN: none yet)").baseUnit("seconds").register(registry);
    for (String status : NIGHTLY_STATUSES) {
      AtomicLong v = new AtomicLong();
      nightlyStatus.put(status, v);
      Gauge.builder("zmarty.nightly.last.status", v, AtomicLong::get).description("1 for the newest nightly run's status, 0 for the others").tag("status", status).register(registry);
    }
  }

  /** A scheduled job is run by this node every {@code every}: its period and "last run" (now, until it runs) are exported. */
  public void scheduled(String job, Duration every, Instant now) {
    runs(job, FIRED);
    runs(job, TAKEN_ELSEWHERE);
    runs(job, FAILED);
    Gauge.builder("zmarty.scheduler.interval", every, d -> d.toMillis() / 1000.0).strongReference(true).description("The job's period").baseUnit("seconds").tag("job", job).register(registry);
    lastRun(job).accumulateAndGet(now.getEpochSecond(), Math::max);
  }

  /** One slot of {@code job} settled with {@code outcome} ({@link #FIRED}, {@link #TAKEN_ELSEWHERE}, {@link #FAILED}). */
  public void schedulerRun(String job, String outcome, Instant at) {
    runs(job, outcome).increment();
    if (!outcome.equals(FAILED)) {
      lastRun(job).accumulateAndGet(at.getEpochSecond(), Math::max);
    }
  }

  /** The health check {@code check} is at {@code level}. */
  public void health(String check, Level level) {
    health.computeIfAbsent(check, c -> {
      AtomicLong v = new AtomicLong();
      Gauge.builder("zmarty.health.status", v, AtomicLong::get).description("0 healthy, 1 warning, 2 critical").tag("check", c).register(registry);
      return v;
    }).set(level.ordinal());
  }

  public void outboxPending(long rows) {
    outboxPending.set(rows);
  }

  /** The newest nightly run (of the whole cluster, as stored) ended at {@code at} with {@code status}. */
  public void nightly(String status, Instant at) {
    if (!nightlyStatus.containsKey(status)) {
      throw new IllegalArgumentException("unknown nightly status " + status);
    }
    nightlyStatus.forEach((s, v) -> v.set(s.equals(status) ? 1 : 0));
    nightlyLastRun.set(at.toEpochMilli() / 1000.0);
  }

  private Counter runs(String job, String outcome) {
    return runs.computeIfAbsent(job + '\u0000' + outcome, k -> Counter.builder("zmarty.scheduler.runs").description("Scheduler slots by job and outcome").tag("job", job).tag("outcome", outcome).register(registry));
  }

  private AtomicLong lastRun(String job) {
    return lastRun.computeIfAbsent(job, j -> {
      AtomicLong v = new AtomicLong();
      Gauge.builder("zmarty.scheduler.last.run.timestamp", v, AtomicLong::get).description("When the job last ran in the cluster as this node saw it, Unix seconds").baseUnit("seconds").tag("job", j).register(registry);
      return v;
    });
  }
}
