package ai.zmarty.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The lens enrichment worker's series: events enriched, rejected by reason (the fixed set of
 * reasons enrichment gives, so the label stays bounded), dead-lettered, and the enrichment latency
 * (from the delivery's start to the row committed) as a histogram.
 */
public final class LensEnrichMetrics {
  private final MeterRegistry registry;
  private final Counter enriched;
  private final Counter deadLettered;
  private final Timer duration;
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

  public LensEnrichMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.enriched = Counter.builder("zmarty.lens.enriched").description("Outside signals enriched").register(registry);
    this.deadLettered = Counter.builder("zmarty.lens.enrich.dead.lettered").description("Outside signals whose enrichment failed for good (a lens DLQ entry)").register(registry);
    this.duration = Timer.builder("zmarty.lens.enrichment.duration").description("Enrichment of one signal, from its delivery to its row committed").serviceLevelObjectives(Buckets.ENRICH).register(registry);
  }

  public void enriched(long nanos) {
    enriched.increment();
    duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** {@code reason}: one of enrichment's reject reasons (price_drift, stale, clock_skew, unknown_profile, unknown_symbol). */
  public void rejected(String reason) {
    rejected.computeIfAbsent(reason, r -> Counter.builder("zmarty.lens.enrich.rejected").description("Outside signals rejected by enrichment, by reason").tag("reason", r).register(registry)).increment();
  }

  public void deadLettered() {
    deadLettered.increment();
  }
}
