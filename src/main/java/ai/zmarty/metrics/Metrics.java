package ai.zmarty.metrics;

import ai.zmarty.config.MetricsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MetricsNaming;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A node's metrics: one Prometheus registry (its own, never the JVM-wide default, so several nodes
 * in one JVM do not mix), Vert.x's own series bound to it, and the project's series ({@link
 * ChatMetrics}, {@link JobMetrics}, {@link OpsMetrics}), each meter created once. Readings that
 * live in a database (queue depths, the outbox backlog, health) are refreshed just before a scrape.
 * With {@code METRICS_ENABLED=false} the meters are no-ops and nothing is served.
 */
public final class Metrics {
  /** The longest a scrape waits for its refreshers; a slow one leaves its previous value. */
  private static final long REFRESH_MS = 2_000;

  private final boolean enabled;
  private final MeterRegistry registry;
  private final ChatMetrics chat;
  private final JobMetrics jobs;
  private final OpsMetrics ops;
  private final EvaluateMetrics evaluate;
  private final IntakeMetrics intake;
  private final LensSocketMetrics lensSockets;
  private final List<Supplier<Future<?>>> refreshers = new CopyOnWriteArrayList<>();
  private NodeVertxMetrics.Own own;

  private Metrics(boolean enabled, MeterRegistry registry) {
    this.enabled = enabled;
    this.registry = registry;
    // before any meter exists: Vert.x's HTTP latencies as histograms with fixed buckets
    registry.config().meterFilter(Buckets.vertxHttp());
    this.chat = new ChatMetrics(registry);
    this.jobs = new JobMetrics(registry);
    this.ops = new OpsMetrics(registry);
    this.evaluate = new EvaluateMetrics(registry);
    this.intake = new IntakeMetrics(registry);
    this.lensSockets = new LensSocketMetrics(registry);
  }

  public static Metrics create(MetricsConfig config) {
    return config.enabled() ? new Metrics(true, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)) : disabled();
  }

  /** No-op meters (a composite registry with no registry behind it) and no Vert.x metrics. */
  public static Metrics disabled() {
    return new Metrics(false, new CompositeMeterRegistry());
  }

  public boolean enabled() {
    return enabled;
  }

  public MeterRegistry registry() {
    return registry;
  }

  public ChatMetrics chat() {
    return chat;
  }

  public JobMetrics jobs() {
    return jobs;
  }

  public OpsMetrics ops() {
    return ops;
  }

  /** The lens evaluation worker's series. */
  public EvaluateMetrics evaluate() {
    return evaluate;
  }

  public IntakeMetrics intake() {
    return intake;
  }

  public LensSocketMetrics lensSockets() {
    return lensSockets;
  }

  /**
   * A Vert.x builder whose instance reports into this registry: HTTP server requests labelled by
   * route (the matched route patterns, never the raw path), method and code; the event bus by
   * side (local or remote), without addresses; TCP servers; pools; JVM.
   */
  public VertxBuilder vertxBuilder(VertxOptions options) {
    if (!enabled) {
      return Vertx.builder().with(options);
    }
    MicrometerMetricsOptions metrics = vertxMetricsOptions();
    // The event bus and the HTTP server's requests are reported by our own meters (same series),
    // made once instead of looked up per message and per request: see NodeVertxMetrics.
    MicrometerMetricsFactory micrometer = new MicrometerMetricsFactory(registry);
    return Vertx.builder().with(options.setMetricsOptions(metrics)).withMetrics(opts -> new NodeVertxMetrics(micrometer.metrics(opts), ownMeters(metrics.getMetricsNaming())));
  }

  /**
   * What Vert.x reports. No event-bus address label: every chat has addresses of its own
   * (model.stream.<id>), and a label per address would make a meter per chat that is never freed.
   * Routes are patterns. Not the clients' traffic (model providers and exchanges have series of
   * their own), datagrams or verticles: measured under the chat bench, HTTP client metrics alone
   * were a fifth of the metrics' CPU.
   */
  static MicrometerMetricsOptions vertxMetricsOptions() {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_SIDE, Label.EB_FAILURE, Label.POOL_TYPE, Label.POOL_NAME));
    for (MetricsDomain off : List.of(MetricsDomain.HTTP_CLIENT, MetricsDomain.NET_CLIENT, MetricsDomain.DATAGRAM_SOCKET, MetricsDomain.VERTICLES)) {
      metrics.addDisabledMetricsCategory(off);
    }
    return metrics;
  }

  /** Our meters of Vert.x's event bus and HTTP servers, made once per registry (every server and instance shares them). */
  private synchronized NodeVertxMetrics.Own ownMeters(MetricsNaming names) {
    if (own == null) {
      own = new NodeVertxMetrics.Own(new EventBusMeters(registry, names.withBaseName("vertx.eventbus.")), new HttpServerMeters(registry, names.withBaseName("vertx.http.server.")));
    }
    return own;
  }

  /** Runs before every scrape (bounded by {@link #REFRESH_MS}); the returned action removes it. */
  public Runnable beforeScrape(Supplier<Future<?>> refresher) {
    refreshers.add(refresher);
    return () -> refreshers.remove(refresher);
  }

  /** The Prometheus text of every series, after the refreshers have run (or timed out). */
  public Future<String> scrape(Vertx vertx) {
    if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
      return Future.failedFuture(new IllegalStateException("metrics are disabled (METRICS_ENABLED=false)"));
    }
    List<Future<?>> refreshed = refreshers.stream().<Future<?>>map(r -> r.get().timeout(REFRESH_MS, TimeUnit.MILLISECONDS)).toList();
    return Future.join(refreshed).transform(ignored -> vertx.executeBlocking(prometheus::scrape, false));
  }
}
