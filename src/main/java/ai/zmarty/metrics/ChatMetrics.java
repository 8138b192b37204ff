package ai.zmarty.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The chat's series. Labels are bounded: {@code provider} is one of the configured providers (or
 * {@code none} when no provider answered), {@code outcome} one of {@link Outcome}, {@code kind} a
 * provider failure kind. Meters are made once per provider; a chat costs a map look-up and a
 * handful of increments and timer records, nothing per token.
 */
public final class ChatMetrics {
  /** The provider label of a chat no provider answered (refused, rate limited, every provider failed). */
  public static final String NO_PROVIDER = "none";

  /** How a chat request ended. */
  public enum Outcome {
    ANSWERED,
    REFUSED_402,
    RATE_LIMITED,
    FAILED,
    CANCELLED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One provider's meters. */
  public static final class Provider {
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
    private final Timer ttft;
    private final Timer duration;
    private final Timer overhead;
    private final Counter credits;
    private final Counter tokensIn;
    private final Counter tokensOut;

    private Provider(MeterRegistry registry, String name) {
      for (Outcome o : Outcome.values()) {
        outcomes.put(o, Counter.builder("zmarty.chat.requests").description("Chat requests by provider and outcome").tag("provider", name).tag("outcome", o.label()).register(registry));
      }
      ttft = Timer.builder("zmarty.chat.ttft").description("Time from the request reaching the model router to its first token sent on").tag("provider", name).serviceLevelObjectives(Buckets.TTFT).register(registry);
      duration = Timer.builder("zmarty.chat.duration").description("Time from the request reaching the model router to its last event").tag("provider", name).serviceLevelObjectives(Buckets.ANSWER).register(registry);
      overhead = Timer.builder("zmarty.gateway.overhead").description("Time to first token minus the provider's own time to first token").tag("provider", name).serviceLevelObjectives(Buckets.OVERHEAD).register(registry);
      credits = Counter.builder("zmarty.credits.charged").description("Credits charged for chat answers").tag("provider", name).register(registry);
      tokensIn = Counter.builder("zmarty.tokens").description("Tokens billed").tag("provider", name).tag("direction", "input").register(registry);
      tokensOut = Counter.builder("zmarty.tokens").description("Tokens billed").tag("provider", name).tag("direction", "output").register(registry);
    }

    public void outcome(Outcome outcome) {
      outcomes.get(outcome).increment();
    }

    /** The first token: {@code sinceArrivalNanos} after the router got the request, the provider itself taking {@code providerNanos} of it. */
    public void firstToken(long sinceArrivalNanos, long providerNanos) {
      ttft.record(sinceArrivalNanos, TimeUnit.NANOSECONDS);
      overhead.record(Math.max(0, sinceArrivalNanos - providerNanos), TimeUnit.NANOSECONDS);
    }

    /** A settled answer: its outcome, length, tokens and charge. */
    public void settled(Outcome outcome, long durationNanos, long inputTokens, long outputTokens, long charged) {
      outcomes.get(outcome).increment();
      duration.record(durationNanos, TimeUnit.NANOSECONDS);
      tokensIn.increment(inputTokens);
      tokensOut.increment(outputTokens);
      credits.increment(charged);
    }
  }

  private final MeterRegistry registry;
  private final Map<String, Provider> providers = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();

  ChatMetrics(MeterRegistry registry) {
    this.registry = registry;
    provider(NO_PROVIDER);
  }

  /** The meters of {@code name} (made on first use). */
  public Provider provider(String name) {
    return providers.computeIfAbsent(name, n -> new Provider(registry, n));
  }

  /** Makes {@code provider}'s error counters for each of {@code kinds} now, so they read 0 before a first failure. */
  public void errorKinds(String provider, java.util.Collection<String> kinds) {
    kinds.forEach(kind -> errors.computeIfAbsent(provider + '\u0000' + kind, k -> errorCounter(provider, kind)));
  }

  /** A provider call failed ({@code kind}: a provider failure kind in lower case, or {@code other}). */
  public void providerError(String provider, String kind) {
    errors.computeIfAbsent(provider + '\u0000' + kind, k -> errorCounter(provider, kind)).increment();
  }

  private Counter errorCounter(String provider, String kind) {
    return Counter.builder("zmarty.provider.errors").description("Provider calls that failed, by kind").tag("provider", provider).tag("kind", kind).register(registry);
  }

  /** Reports 1 while {@code open} says the provider's circuit breaker is open; the returned action removes the gauge. */
  public Runnable breaker(String provider, BooleanSupplier open) {
    Gauge g = Gauge.builder("zmarty.provider.breaker.open", open, o -> o.getAsBoolean() ? 1 : 0).description("1 while the provider's circuit breaker is open").tag("provider", provider).strongReference(true).register(registry);
    return () -> registry.remove(g);
  }
}
