package ai.zmarty.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The lens intake's series: signals accepted ({@code zmarty_lens_signals_received_total}), the
 * enqueue stage's time (event, timeline row and {@code lens_enrich} message written:
 * {@code zmarty_lens_enqueue_duration_seconds}) and signals refused at the door by reason
 * ({@code zmarty_lens_intake_rejected_total{reason}}, a fixed set).
 * Refusals after intake (price drift, stale, …) are the enrichment worker's. The lens queues'
 * depths are the queue series ({@code zmarty_queue_depth{queue="lens_enrich"}}).
 */
public final class IntakeMetrics {
  /** Why {@code POST /api/v1/signals} refused a signal. */
  public enum Reason {
    /** missing, unknown or revoked key (401) */
    AUTH,
    /** the body names another source (403) */
    FORBIDDEN,
    /** the body broke its schema (400) or was too large (413) */
    VALIDATION,
    RATE_LIMITED,
    /** an idempotency key reused with a different body (422) */
    IDEMPOTENCY_CONFLICT;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Counter received;
  private final Timer enqueue;
  private final Counter replayed;
  private final Map<Reason, Counter> rejected = new EnumMap<>(Reason.class);

  IntakeMetrics(MeterRegistry registry) {
    received = Counter.builder("zmarty.lens.signals.received").description("Signals accepted and queued for enrichment").register(registry);
    enqueue = Timer.builder("zmarty.lens.enqueue.duration").description("Writing an accepted signal: its event, timeline row and lens_enrich message in one transaction")
        .serviceLevelObjectives(Buckets.OVERHEAD).register(registry);
    replayed = Counter.builder("zmarty.lens.signals.replayed").description("Signals sent again with an idempotency key already accepted (answered 200, not queued again)").register(registry);
    for (Reason r : Reason.values()) {
      rejected.put(r, Counter.builder("zmarty.lens.intake.rejected").description("Signals refused at intake, by reason").tag("reason", r.label()).register(registry));
    }
  }

  public void received() {
    received.increment();
  }

  public void enqueued(long nanos) {
    enqueue.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void replayed() {
    replayed.increment();
  }

  public void rejected(Reason reason) {
    rejected.get(reason).increment();
  }
}
