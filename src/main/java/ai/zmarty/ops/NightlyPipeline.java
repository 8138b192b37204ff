package ai.zmarty.ops;

import ai.zmarty.bus.Addresses;
import ai.zmarty.config.OpsConfig;
import ai.zmarty.ops.StepResult.Outcome;
import ai.zmarty.queue.Job;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly pipeline: health (abort when a check it needs is critical: {@link #BLOCKING}) → ingest every active pair → resolve every
 * pending signal → recompute win rates and per-source performance (the leaderboard reads it) →
 * summary. The work is the workers' own: each step sends the same job bodies the pgmq poller
 * hands to {@code jobs.ingest_indicators} and {@code jobs.compute_winrate}, so whichever node
 * consumes them (this process's own job verticles for the CLI, the cluster's workers for the
 * scheduler) does it. One run at a time in the cluster ({@link PipelineStore}'s lease); each step's
 * status and duration are stored in {@code pipeline_steps}, the run in {@code pipeline_runs}.
 */
public final class NightlyPipeline {
  private static final Logger log = LoggerFactory.getLogger(NightlyPipeline.class);
  /**
   * The checks whose critical verdict aborts the run: the steps cannot work without the databases,
   * their schema and the market. Stale or inconsistent data (freshness, integrity) is what the run
   * repairs, and the API is not used by it (on an ops-only node there is none on the loopback), so
   * those are reported in the step's message but do not abort.
   */
  static final java.util.Set<String> BLOCKING = java.util.Set.of("database_a", "database_b", "schema", "market_data");
  /** Win-rate runs the resolve step makes at most (each resolves up to 5,000 signals). */
  static final int MAX_RESOLVE_ROUNDS = 50;

  private final Vertx vertx;
  private final Pool trading;
  private final PipelineStore store;
  private final Supplier<Future<SystemHealth>> health;
  private final OpsConfig config;
  private final String node;

  public NightlyPipeline(Vertx vertx, Pool trading, Supplier<Future<SystemHealth>> health, OpsConfig config, String node) {
    this.vertx = vertx;
    this.trading = trading;
    this.store = new PipelineStore(trading);
    this.health = health;
    this.config = config;
    this.node = node;
  }

  /** This process's name in runs and refusals: host (CLUSTER_HOST) and process id. */
  public static String nodeName(ai.zmarty.config.ZmartyConfig config) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = config.cluster().host();
    }
    return host + ":" + ProcessHandle.current().pid();
  }

  /** Runs once; fails with {@link PipelineStore.Refused} while another run holds the lease. */
  public Future<JsonObject> run(String trigger) {
    UUID runId = UUID.randomUUID();
    return store.start(runId, node, trigger, config.nightlyLease()).compose(startedAt -> {
      log.info("nightly run={} node={} trigger={} started", runId, node, trigger);
      long renewEvery = Math.max(100, config.nightlyLease().toMillis() / 3);
      long timer = vertx.setPeriodic(renewEvery, id -> store.renew(runId, config.nightlyLease())
          .onSuccess(held -> { if (!held) log.warn("nightly run={} lost its lease (taken over)", runId); })
          .onFailure(err -> log.warn("nightly run={} could not renew its lease: {}", runId, err.getMessage())));
      long t0 = System.nanoTime();
      return steps(runId).transform(done -> {
        vertx.cancelTimer(timer);
        List<StepResult> steps = done.succeeded() ? done.result() : List.of();
        boolean aborted = done.failed() || (steps.size() > 0 && steps.get(0).status() == Outcome.FAILED);
        RunStatus status = RunStatus.of(aborted, steps);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        JsonObject summary = summary(runId, trigger, startedAt, status, ms, steps);
        Optional<String> error = done.failed() ? Optional.of(String.valueOf(done.cause().getMessage())) : failing(steps);
        summary.put("error", error.orElse(null));
        return store.finish(runId, status, ms, summary, error)
            .eventually(() -> store.release(runId))
            .map(v -> {
              log.info("nightly run={} finished status={} duration_ms={}", runId, status.wire(), ms);
              return summary;
            });
      });
    });
  }

  /** The steps in order; after a critical health check the others are recorded as skipped. */
  private Future<List<StepResult>> steps(UUID runId) {
    List<StepResult> done = new ArrayList<>();
    return step(runId, done, "health", this::health).compose(h -> {
      if (h.status() == Outcome.FAILED) {
        return skip(runId, done, List.of("ingest", "resolve", "win_rates")).map(v -> done);
      }
      return step(runId, done, "ingest", this::ingest)
          .compose(v -> step(runId, done, "resolve", this::resolve))
          .compose(v -> step(runId, done, "win_rates", this::winRates))
          .map(v -> done);
    }).compose(list -> step(runId, done, "summary", () -> Future.succeededFuture(new Done(Outcome.SUCCESS, summaryLine(done), new JsonObject()))).map(v -> done));
  }

  /** What a step's work found. */
  record Done(Outcome outcome, String message, JsonObject detail) {}

  private Future<StepResult> step(UUID runId, List<StepResult> done, String name, Supplier<Future<Done>> work) {
    OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC);
    long t0 = System.nanoTime();
    Future<Done> f;
    try {
      f = work.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.otherwise(err -> new Done(Outcome.FAILED, String.valueOf(err.getMessage()), new JsonObject().put("error", String.valueOf(err.getMessage())))).compose(d -> {
      StepResult r = new StepResult(name, d.outcome(), started, (System.nanoTime() - t0) / 1_000_000, d.message(), d.detail());
      done.add(r);
      if (r.status() == Outcome.FAILED) {
        log.warn("nightly run={} step={} failed after {} ms: {}", runId, name, r.ms(), r.message());
      }
      return store.step(runId, done.size(), r).map(r);
    });
  }

  private Future<Void> skip(UUID runId, List<StepResult> done, List<String> names) {
    Future<Void> chain = Future.succeededFuture();
    for (String n : names) {
      chain = chain.compose(v -> step(runId, done, n, () -> Future.succeededFuture(new Done(Outcome.SKIPPED, "skipped: the health check is critical", new JsonObject()))).mapEmpty());
    }
    return chain;
  }

  private Future<Done> health() {
    return health.get().map(h -> {
      List<String> blocking = h.critical().stream().filter(c -> BLOCKING.contains(c.name())).map(c -> c.name() + " (" + c.message() + ")").toList();
      if (!blocking.isEmpty()) {
        return new Done(Outcome.FAILED, "aborted: critical " + String.join("; ", blocking), h.toJson());
      }
      List<String> other = h.critical().stream().map(c -> c.name()).toList();
      String note = other.isEmpty() ? "" : "; critical but not blocking: " + String.join(", ", other);
      return new Done(Outcome.SUCCESS, h.status().wire() + " (" + h.checks().size() + " checks in " + h.elapsedMs() + " ms)" + note, h.toJson());
    });
  }

  private Future<Done> ingest() {
    return pairs(OpsSql.ACTIVE_PAIRS).compose(pairs -> {
      List<Future<JsonObject>> jobs = pairs.stream().map(p -> job(Addresses.JOB_INGEST_INDICATORS, Addresses.QUEUE_INGEST_INDICATORS, p)).toList();
      return Future.join(jobs).transform(all -> {
        long bars = 0;
        JsonArray failed = new JsonArray();
        for (int i = 0; i < jobs.size(); i++) {
          if (jobs.get(i).succeeded()) {
            bars += jobs.get(i).result().getLong("bars_written", 0L);
          } else {
            failed.add(pairs.get(i).copy().put("error", jobs.get(i).cause().getMessage()));
          }
        }
        JsonObject detail = new JsonObject().put("pairs", pairs.size()).put("bars_written", bars).put("failed", failed);
        String message = pairs.size() + " pair(s), " + bars + " bar(s) written";
        return Future.succeededFuture(failed.isEmpty() ? new Done(Outcome.SUCCESS, message, detail) : new Done(Outcome.FAILED, message + "; failed: " + names(failed), detail));
      });
    });
  }

  /** Win-rate runs over every pair until nothing more resolves (or nothing is pending). */
  private Future<Done> resolve() {
    return resolveRound(0, 0, 0);
  }

  private Future<Done> resolveRound(int round, long resolved, long wins) {
    return job(Addresses.JOB_COMPUTE_WINRATE, Addresses.QUEUE_COMPUTE_WINRATE, new JsonObject()).compose(r -> {
      long now = resolved + r.getLong("resolved", 0L);
      long w = wins + r.getLong("wins", 0L);
      long pending = r.getLong("pending", 0L);
      if (r.getLong("resolved", 0L) > 0 && pending > 0 && round + 1 < MAX_RESOLVE_ROUNDS) {
        return resolveRound(round + 1, now, w);
      }
      JsonObject detail = new JsonObject().put("resolved", now).put("wins", w).put("losses", now - w).put("pending", pending).put("rounds", round + 1);
      return Future.succeededFuture(new Done(Outcome.SUCCESS, now + " signal(s) resolved (" + w + " wins), " + pending + " still open", detail));
    });
  }

  /** One win-rate run per pair with signals: recomputes its win_rate rows and its performance (the leaderboard). */
  private Future<Done> winRates() {
    return pairs(OpsSql.SIGNAL_PAIRS).compose(pairs -> {
      Future<Void> chain = Future.succeededFuture();
      JsonArray failed = new JsonArray();
      for (JsonObject p : pairs) {
        chain = chain.compose(v -> job(Addresses.JOB_COMPUTE_WINRATE, Addresses.QUEUE_COMPUTE_WINRATE, p).<Void>mapEmpty()
            .recover(err -> {
              failed.add(p.copy().put("error", err.getMessage()));
              return Future.succeededFuture();
            }));
      }
      return chain.compose(v -> trading.query(OpsSql.ROLLUP_COUNTS).execute()).map(rows -> {
        Row r = rows.iterator().next();
        JsonObject detail = new JsonObject().put("pairs", pairs.size()).put("win_rate_rows", r.getLong("win_rate_rows")).put("performance_sources", r.getLong("performance_sources"))
            .put("leaderboard_categories", r.getLong("leaderboard_categories")).put("failed", failed);
        String message = pairs.size() + " pair(s) recomputed: " + r.getLong("win_rate_rows") + " win_rate row(s), " + r.getLong("performance_sources") + " performance source(s), "
            + r.getLong("leaderboard_categories") + " leaderboard categor(ies)";
        return failed.isEmpty() ? new Done(Outcome.SUCCESS, message, detail) : new Done(Outcome.FAILED, message + "; failed: " + names(failed), detail);
      });
    });
  }

  private Future<List<JsonObject>> pairs(String sql) {
    return trading.query(sql).execute().map(rows -> {
      List<JsonObject> pairs = new ArrayList<>();
      rows.forEach(r -> pairs.add(new JsonObject().put("symbol", r.getString("symbol")).put("timeframe", r.getString("timeframe"))));
      return pairs;
    });
  }

  /** The body the poller would hand the worker, for a job that did not come through a queue (msg id 0). */
  private Future<JsonObject> job(String address, String queue, JsonObject payload) {
    Job job = new Job(queue, 0, 1, Instant.now().toString(), payload);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(config.nightlyJobTimeout().toMillis());
    return vertx.eventBus().<JsonObject>request(address, job.toJson(), options).map(m -> m.body());
  }

  private static String names(JsonArray failed) {
    List<String> names = new ArrayList<>();
    failed.forEach(o -> names.add(((JsonObject) o).getString("symbol") + " " + ((JsonObject) o).getString("timeframe") + " (" + ((JsonObject) o).getString("error") + ")"));
    return String.join(", ", names);
  }

  private static Optional<String> failing(List<StepResult> steps) {
    List<String> failed = steps.stream().filter(s -> s.status() == Outcome.FAILED).map(s -> s.name() + ": " + s.message()).toList();
    return failed.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", failed));
  }

  private static String summaryLine(List<StepResult> done) {
    long failed = done.stream().filter(s -> s.status() == Outcome.FAILED).count();
    long skipped = done.stream().filter(s -> s.status() == Outcome.SKIPPED).count();
    return done.size() + " step(s) before it: " + (done.size() - failed - skipped) + " succeeded, " + failed + " failed, " + skipped + " skipped";
  }

  private JsonObject summary(UUID runId, String trigger, OffsetDateTime startedAt, RunStatus status, long ms, List<StepResult> steps) {
    JsonArray array = new JsonArray();
    steps.forEach(s -> array.add(s.toJson()));
    return new JsonObject().put("run_id", runId.toString()).put("node", node).put("trigger", trigger).put("status", status.wire())
        .put("started_at", startedAt.toInstant().toString()).put("duration_ms", ms).put("steps", array);
  }
}
