package ai.zmarty.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The lens evaluation worker's series: events evaluated, published and dead-lettered, each model's
 * answer time (a histogram per model), its failed answers by status (invalid_json, timeout,
 * provider_error), and an event's time from received to published (end to end). Models are the
 * configured {@code LENS_MODELS}, so the labels stay few.
 */
public final class EvaluateMetrics {
  /** The statuses of a model answer that count as errors. */
  public static final List<String> ERROR_STATUSES = List.of("invalid_json", "timeout", "provider_error");

  private final MeterRegistry registry;
  private final Counter evaluated;
  private final Counter published;
  private final Counter deadLettered;
  private final Timer endToEnd;
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();

  EvaluateMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.evaluated = Counter.builder("zmarty.lens.evaluated").description("Outside signals evaluated (every model answered or timed out)").register(registry);
    this.published = Counter.builder("zmarty.lens.published").description("Outside signals whose decisions were published (status published)").register(registry);
    this.deadLettered = Counter.builder("zmarty.lens.evaluate.dead.lettered").description("Outside signals whose evaluation failed for good (a lens DLQ entry of stage evaluate)").register(registry);
    this.endToEnd = Timer.builder("zmarty.lens.end.to.end").description("An outside signal from received to published (the database's clock)").serviceLevelObjectives(Buckets.JOB).register(registry);
  }

  /** Makes a model's series now, so they read 0 before its first answer. */
  public void register(String model) {
    latency(model);
    ERROR_STATUSES.forEach(status -> error(model, status));
  }

  public void evaluated() {
    evaluated.increment();
  }

  /** An event published, {@code seconds} after it was received. */
  public void published(double seconds) {
    published.increment();
    endToEnd.record(Math.max(0, Math.round(seconds * 1e9)), TimeUnit.NANOSECONDS);
  }

  public void deadLettered() {
    deadLettered.increment();
  }

  /** One model's answer: its time, and an error count unless it was {@code ok}. */
  public void answered(String model, String status, long millis) {
    latency(model).record(millis, TimeUnit.MILLISECONDS);
    if (ERROR_STATUSES.contains(status)) {
      error(model, status).increment();
    }
  }

  private Timer latency(String model) {
    return latency.computeIfAbsent(model, m -> Timer.builder("zmarty.lens.evaluation.latency").description("One model's answer time on an outside signal").tag("model", m).serviceLevelObjectives(Buckets.JOB).register(registry));
  }

  private Counter error(String model, String status) {
    return errors.computeIfAbsent(model + "|" + status, k -> Counter.builder("zmarty.lens.model.errors").description("Model answers that gave no decision, by status").tag("model", model).tag("status", status).register(registry));
  }
}
