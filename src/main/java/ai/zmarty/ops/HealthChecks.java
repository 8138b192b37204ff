package ai.zmarty.ops;

import ai.zmarty.config.ZmartyConfig.HealthConfig;
import ai.zmarty.config.ZmartyConfig.ProviderConfig;
import ai.zmarty.config.ZmartyConfig.ProvidersConfig;
import ai.zmarty.ops.HealthReport.Check;
import ai.zmarty.queue.PgmqClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the health checks: database A and B answer, no queue's oldest ready message has waited
 * longer than HEALTH_QUEUE_MAX_AGE, and the model providers named in HEALTH_PROVIDERS list their
 * models (a GET: no tokens spent; a provider without a key is skipped, UP). Every check has its
 * own time limit, so one hung dependency cannot hang the endpoint. A round's result is reused for
 * {@link #REUSE_MS}, and concurrent callers share the round in progress, so a flood of /healthz
 * calls costs at most one round of database checks a second.
 */
public final class HealthChecks {
  private final Vertx vertx;
  private final Pool chat;
  private final Pool trading;
  private final PgmqClient queues;
  private final HealthConfig config;
  private final ProvidersConfig providers;
  private final WebClient client;
  /**
   * A provider's last probe is reused this long (and concurrent /healthz calls share one probe), so
   * frequent load-balancer probes do not turn into a stream of model-list calls against its rate limit.
   */
  static final long PROVIDER_PROBE_TTL_MS = 10_000;
  private final java.util.Map<String, Probe> probes = new java.util.concurrent.ConcurrentHashMap<>();

  private record Probe(Future<Check> check, long atNanos) {}

  /** How long a finished round answers later calls. */
  static final long REUSE_MS = 1_000;
  private final String deadLetterQueue;
  private Future<HealthReport> round;
  private long roundDoneNanos;

  public HealthChecks(Vertx vertx, Pool chat, Pool trading, PgmqClient queues, String deadLetterQueue, HealthConfig config, ProvidersConfig providers) {
    this.vertx = vertx;
    this.deadLetterQueue = deadLetterQueue;
    this.chat = chat;
    this.trading = trading;
    this.queues = queues;
    this.config = config;
    this.providers = providers;
    this.client = WebClient.create(vertx, new WebClientOptions().setName("health-providers").setConnectTimeout((int) Math.min(providers.connectTimeout().toMillis(), config.checkTimeout().toMillis())));
  }

  /** The latest round if it finished at most {@link #REUSE_MS} ago or is still running, else a new one. */
  public synchronized Future<HealthReport> run() {
    if (round != null && (!round.isComplete() || System.nanoTime() - roundDoneNanos <= REUSE_MS * 1_000_000)) {
      return round;
    }
    Future<HealthReport> next = checkAll();
    round = next;
    next.onComplete(ar -> {
      synchronized (this) {
        roundDoneNanos = System.nanoTime();
      }
    });
    return next;
  }

  private Future<HealthReport> checkAll() {
    Future<Check> a = ping("database_chat", chat);
    Future<Check> b = ping("database_trading", trading);
    Future<List<Check>> depths = queueDepths();
    List<Future<Check>> reachable = config.providers().stream().map(this::probed).toList();
    return Future.join(Future.join(a, b, depths), Future.join(reachable))
        .transform(
            ignored -> {
              List<Check> checks = new ArrayList<>();
              checks.add(a.result());
              checks.add(b.result());
              checks.addAll(depths.result());
              reachable.forEach(f -> checks.add(f.result()));
              return Future.succeededFuture(new HealthReport(checks, java.time.Instant.now()));
            });
  }

  private Future<Check> ping(String name, Pool pool) {
    long t0 = System.nanoTime();
    return limited(pool.query(OpsSql.PING).execute())
        .map(rows -> Check.up(name, new JsonObject().put("latency_ms", (System.nanoTime() - t0) / 1_000_000)))
        .otherwise(err -> Check.down(name, message(err)));
  }

  private Future<List<Check>> queueDepths() {
    return limited(queues.waiting())
        .map(waits -> waits.stream().map(q -> HealthReport.queue(q, config.queueMaxAge(), q.queue().equals(deadLetterQueue))).toList())
        .otherwise(err -> List.of(Check.down("queues", message(err))));
  }

  private Future<Check> probed(String name) {
    long now = System.nanoTime();
    Probe p = probes.compute(name, (n, old) -> old != null && now - old.atNanos() < PROVIDER_PROBE_TTL_MS * 1_000_000 ? old : new Probe(provider(n), now));
    return p.check();
  }

  /** Lists the provider's models with its key: proves the network path, the TLS and the key, and costs no tokens. */
  private Future<Check> provider(String name) {
    String check = "provider:" + name;
    ProviderConfig p = providers.all().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    if (!p.configured()) {
      return Future.succeededFuture(Check.up(check, new JsonObject().put("skipped", true).put("reason", "not configured (no API key)")));
    }
    String key = p.apiKey().orElseThrow();
    HttpRequest<io.vertx.core.buffer.Buffer> request = switch (name) {
      case "claude" -> client.getAbs(p.baseUrl() + "/v1/models").putHeader("x-api-key", key).putHeader("anthropic-version", "2023-06-01");
      case "gemini" -> client.getAbs(p.baseUrl() + "/v1beta/models").putHeader("x-goog-api-key", key);
      default -> client.getAbs(p.baseUrl() + "/models").putHeader("authorization", "Bearer " + key);
    };
    long t0 = System.nanoTime();
    return limited(request.timeout(config.checkTimeout().toMillis()).send())
        .map(r -> {
          JsonObject data = new JsonObject().put("http_status", r.statusCode()).put("latency_ms", (System.nanoTime() - t0) / 1_000_000);
          return r.statusCode() / 100 == 2 ? Check.up(check, data) : new Check(check, false, data.put("error", "GET models answered HTTP " + r.statusCode()));
        })
        .otherwise(err -> Check.down(check, "unreachable: " + message(err)));
  }

  private <T> Future<T> limited(Future<T> work) {
    return work.timeout(config.checkTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String message(Throwable err) {
    return err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
  }
}
