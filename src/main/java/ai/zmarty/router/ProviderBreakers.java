package ai.zmarty.router;

import ai.zmarty.router.providers.ProviderFailure;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One circuit breaker per real provider: {@code maxFailures} failures in a row open it, it probes
 * again after {@code reset}. A request the provider refuses as malformed, or a client going away,
 * says nothing about the provider's health and does not count.
 */
final class ProviderBreakers {
  private static final Logger log = LoggerFactory.getLogger(ProviderBreakers.class);

  private final Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
  private final Duration reset;
  private final java.util.List<Runnable> gauges = new java.util.ArrayList<>();

  ProviderBreakers(Vertx vertx, Collection<String> providers, ModelRouterVerticle.Breakers settings, ai.zmarty.metrics.ChatMetrics metrics) {
    this.reset = settings.reset();
    for (String name : providers) {
      CircuitBreaker b = CircuitBreaker.create("provider-" + name, vertx, new CircuitBreakerOptions()
          .setMaxFailures(settings.maxFailures())
          .setResetTimeout(settings.reset().toMillis())
          .setTimeout(-1) // the adapters time out themselves (connect, first byte, idle)
          .setMaxRetries(0)
          .setNotificationAddress(null));
      b.<ModelProvider.Usage>failurePolicy(f -> f.failed() && countsAgainstHealth(f.cause()));
      b.openHandler(v -> log.warn("circuit breaker open provider={}", name)).halfOpenHandler(v -> log.info("circuit breaker half-open provider={}", name)).closeHandler(v -> log.info("circuit breaker closed provider={}", name));
      breakers.put(name, b);
      gauges.add(metrics.breaker(name, () -> b.state() == CircuitBreakerState.OPEN));
    }
  }

  static boolean countsAgainstHealth(Throwable cause) {
    return !(cause instanceof ProviderFailure pf && (pf.kind() == ProviderFailure.Kind.BAD_REQUEST || pf.kind() == ProviderFailure.Kind.CANCELLED));
  }

  /** The providers whose breaker is open now. */
  Set<String> open() {
    return breakers.entrySet().stream().filter(e -> e.getValue().state() == CircuitBreakerState.OPEN).map(Map.Entry::getKey).collect(Collectors.toSet());
  }

  Duration reset() {
    return reset;
  }

  /** Runs the call through the provider's breaker (a provider without one, the offline analyst, runs directly). */
  <T> Future<T> execute(String provider, Supplier<Future<T>> call) {
    CircuitBreaker b = breakers.get(provider);
    return b == null ? call.get() : b.execute(call);
  }

  void close() {
    gauges.forEach(Runnable::run);
    breakers.values().forEach(CircuitBreaker::close);
  }
}
