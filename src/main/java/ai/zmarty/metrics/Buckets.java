package ai.zmarty.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;

/** The histogram buckets of every latency series: few and fixed, so a series stays small. */
final class Buckets {
  /** Time to first token: 50 ms … 30 s. */
  static final Duration[] TTFT = seconds(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30);
  /** A whole answer: 0.5 s … 2 min. */
  static final Duration[] ANSWER = seconds(0.5, 1, 2, 5, 10, 20, 30, 60, 120);
  /** What the gateway adds before the first token: 1 ms … 1 s. */
  static final Duration[] OVERHEAD = seconds(0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1);
  /** A queue job: 10 ms … 1 min. */
  static final Duration[] JOB = seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);
  /** One outside signal's enrichment: 10 ms … 10 s (the brief's target is under 2 s). */
  static final Duration[] ENRICH = seconds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10);
  /** An HTTP request (a streamed chat is one long request): 5 ms … 1 min. */
  static final Duration[] HTTP = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);

  private Buckets() {}

  private static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return out;
  }

  /** Vert.x's HTTP server and client response times get {@link #HTTP} buckets. */
  static MeterFilter vertxHttp() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() == Meter.Type.TIMER && id.getName().startsWith("vertx.http.") && id.getName().endsWith("response.time")) {
          return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos(HTTP)).build().merge(config);
        }
        return config;
      }
    };
  }

  private static double[] nanos(Duration[] buckets) {
    double[] out = new double[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      out[i] = buckets[i].toNanos();
    }
    return out;
  }
}
