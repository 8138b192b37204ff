package ai.zmarty.ops;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.config.SchedulerConfig;
import ai.zmarty.metrics.Metrics;
import ai.zmarty.metrics.OpsMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the cluster-wide cron schedules: {@code ingest_indicators} for every active, unpaused pair
 * at {@code SCHEDULER_INGEST_CRON} (spread over {@code SCHEDULER_INGEST_SPREAD} of its interval),
 * {@code compute_winrate} at {@code SCHEDULER_WINRATE_CRON}, and the nightly pipeline (a request to
 * {@code ops.nightly.run}) at {@code NIGHTLY_CRON} in {@code NIGHTLY_TZ}. Where database B has
 * pg_cron, the SQL jobs on five-field UTC schedules are registered with {@code cron.schedule}; the
 * rest run in-app: every ops node ticks and the one whose claim of (job, slot) in
 * {@code scheduler_runs} succeeds runs it. Also answers {@code ops.cron.list} and {@code ops.cron.run}.
 */
public final class SchedulerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SchedulerVerticle.class);
  private static final Duration RETRY_SETUP = Duration.ofSeconds(5);
  private final Pool trading;
  private final SchedulerConfig config;
  private final Clock clock;
  private final OpsMetrics metrics;
  private final List<CronJob> jobs;
  private final CronRuns runs;
  private final Map<String, Instant> settled = new HashMap<>();
  private final Set<String> busy = new HashSet<>();
  private volatile Set<String> onPgCron = Set.of();
  private List<CronJob> inApp = List.of();
  private long timer = -1;
  private boolean stopping;
  private volatile long fired;
  private volatile long claims;

  public SchedulerVerticle(Pool trading, SchedulerConfig config) {
    this(trading, config, Metrics.disabled().ops(), Clock.systemUTC());
  }

  public SchedulerVerticle(Pool trading, SchedulerConfig config, OpsMetrics metrics) {
    this(trading, config, metrics, Clock.systemUTC());
  }

  public SchedulerVerticle(Pool trading, SchedulerConfig config, OpsMetrics metrics, Clock clock) {
    this.metrics = metrics;
    this.trading = trading;
    this.config = config;
    this.clock = clock;
    long spread = Schedule.spreadSeconds(Schedule.interval(config.ingest(), clock.instant()), config.ingestSpread());
    this.jobs =
        List.of(
            CronJob.sql("ingest_indicators", config.ingest(), OpsSql.enqueueIngest(spread)),
            CronJob.sql("compute_winrate", config.winrate(), OpsSql.ENQUEUE_WINRATE),
            CronJob.bus("nightly", config.nightly(), Addresses.OPS_NIGHTLY_RUN, config.nightlyTimeout()));
    this.runs = new CronRuns(trading, ManagementFactory.getRuntimeMXBean().getName());
  }

  @Override
  public Future<?> start() {
    var list = vertx.eventBus().<JsonObject>consumer(Addresses.OPS_CRON_LIST, this::list);
    var run = vertx.eventBus().<JsonObject>consumer(Addresses.OPS_CRON_RUN, this::runNow);
    setUp();
    return Future.join(list.completion(), run.completion());
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** Slots this node took (and so ran or started). */
  public long fired() {
    return fired;
  }

  /** Slot claims this node settled (taken, or found taken or busy): it ticked. */
  public long claims() {
    return claims;
  }

  /** Decides pg_cron or in-app per job; until B answers nothing is scheduled, then it retries. */
  private void setUp() {
    if (stopping) {
      return;
    }
    trading
        .query(OpsSql.HAS_PG_CRON)
        .execute()
        .map(rows -> rows.iterator().next().getBoolean("present"))
        .compose(pgCron -> pgCron ? handToPgCron() : Future.succeededFuture(Set.<String>of()))
        .onSuccess(this::runInApp)
        .onFailure(
            err -> {
              log.warn("scheduler cannot reach database B ({}); trying again in {} s", err.getMessage(), RETRY_SETUP.toSeconds());
              timer = vertx.setTimer(RETRY_SETUP.toMillis(), id -> setUp());
            });
  }

  /** Registers each job pg_cron 1.4 can run (SQL, five fields, UTC); returns their names. */
  private Future<Set<String>> handToPgCron() {
    Set<String> handed = new HashSet<>();
    Future<Void> chain = Future.succeededFuture();
    for (CronJob job : jobs) {
      if (!job.pgCronEligible()) {
        log.info("scheduler job={} schedule={} runs in-app (pg_cron 1.4 has no time zones, no seconds, no bus)", job.name(), job.cron());
        chain = chain.compose(v -> trading.preparedQuery(OpsSql.CRON_UNSCHEDULE).execute(Tuple.of(job.cronName())).<Void>mapEmpty());
        continue;
      }
      String expression = job.cron().pgCron().orElseThrow();
      chain =
          chain.compose(
              v ->
                  trading
                      .preparedQuery(OpsSql.CRON_SCHEDULE)
                      .execute(Tuple.of(job.cronName(), expression, OpsSql.cronCommand(job.name(), job.enqueueSql())))
                      .onSuccess(rows -> handed.add(job.name()))
                      .onSuccess(rows -> log.info("scheduler job={} handed to pg_cron as {} schedule='{}' jobid={}", job.name(), job.cronName(), expression, rows.iterator().next().getLong("jobid")))
                      .<Void>mapEmpty()
                      .recover(err -> {
                        log.warn("scheduler job={} could not be registered with pg_cron ({}); scheduling it in-app", job.name(), err.getMessage());
                        return Future.succeededFuture();
                      }));
    }
    return chain.map(v -> handed);
  }

  private void runInApp(Set<String> pgCron) {
    onPgCron = Set.copyOf(pgCron);
    inApp = jobs.stream().filter(j -> !pgCron.contains(j.name())).toList();
    if (inApp.isEmpty() || stopping) {
      return;
    }
    Duration tick = inApp.stream().map(j -> j.cron().tick()).min(Duration::compareTo).orElseThrow();
    inApp.forEach(job -> metrics.scheduled(job.name(), Schedule.interval(job.cron(), clock.instant()), clock.instant()));
    timer = vertx.setPeriodic(tick.toMillis(), id -> tick());
    log.info("scheduler in-app for {} (tick {} ms, catch-up {} s)", inApp.stream().map(j -> j.name() + " " + j.cron()).toList(), tick.toMillis(), config.catchUp().toSeconds());
    tick();
  }

  private void tick() {
    Instant now = clock.instant();
    for (CronJob job : inApp) {
      var due = Schedule.due(job.cron(), now, settled.get(job.name()), config.catchUp());
      if (due.isEmpty() || !busy.add(job.name())) {
        continue;
      }
      Instant slot = due.get();
      start(job, slot.toEpochMilli(), "schedule")
          .onComplete(
              ar -> {
                busy.remove(job.name());
                metrics.schedulerRun(job.name(), ar.failed() ? OpsMetrics.FAILED : ar.result().kind().metricsOutcome(), clock.instant());
                if (ar.succeeded()) {
                  settled.put(job.name(), slot);
                  claims++;
                } else if (!stopping) {
                  log.warn("scheduler job={} slot={} not settled, will retry: {}", job.name(), slot, ar.cause().getMessage());
                }
              });
    }
  }

  /** Claims and runs (SQL) or starts (bus) one run; the future ends when the slot is settled. */
  private Future<CronRuns.Outcome> start(CronJob job, long slot, String trigger) {
    return runs.claim(job, slot, trigger)
        .onSuccess(
            outcome -> {
              switch (outcome.kind()) {
                case DONE -> log.info("scheduler fired job={} slot={} trigger={} messages={}", job.name(), CronRuns.slotTime(slot), trigger, outcome.messages());
                case STARTED -> request(job, slot, trigger);
                case BUSY -> log.warn("scheduler job={} slot={} skipped: previous run still running {}", job.name(), CronRuns.slotTime(slot), outcome.running().encode());
                case TAKEN -> { }
              }
              if (outcome.kind() == CronRuns.Kind.DONE || outcome.kind() == CronRuns.Kind.STARTED) {
                fired++;
              }
            });
  }

  /** A bus job's run: the request, then its record ends with the answer or the failure. */
  private void request(CronJob job, long slot, String trigger) {
    JsonObject body = new JsonObject().put("job", job.name()).put("slot", CronRuns.slotTime(slot)).put("trigger", trigger);
    log.info("scheduler started job={} slot={} trigger={} address={}", job.name(), body.getString("slot"), trigger, job.address());
    vertx.eventBus()
        .<Object>request(job.address(), body, new DeliveryOptions().setSendTimeout(job.timeout().toMillis()))
        .transform(
            ar -> {
              if (ar.succeeded()) {
                JsonObject result = ar.result().body() instanceof JsonObject json ? json : new JsonObject().put("reply", String.valueOf(ar.result().body()));
                String status = result.getString("status", "success");
                boolean failed = !"success".equals(status) && !"succeeded".equals(status);
                return runs.finish(job, slot, failed ? "failed" : "succeeded", failed ? "the consumer answered status " + status : null, result);
              }
              String error = job.failure(ar.cause());
              log.warn("scheduler job={} slot={} failed: {}", job.name(), body.getString("slot"), error);
              return runs.finish(job, slot, "failed", error, null);
            })
        .onFailure(err -> log.warn("scheduler job={} slot={} could not record its end ({}); its lease will release it", job.name(), body.getString("slot"), err.getMessage()));
  }

  private void list(Message<JsonObject> msg) {
    runs.describe(jobs, onPgCron, clock.instant())
        .onSuccess(msg::reply)
        .onFailure(err -> msg.fail(ErrorCode.UNAVAILABLE.failureCode(), "cannot read the runs: " + err.getMessage()));
  }

  private void runNow(Message<JsonObject> msg) {
    String name = msg.body() == null ? null : msg.body().getString("job");
    CronJob job = jobs.stream().filter(j -> j.name().equals(name)).findFirst().orElse(null);
    if (job == null) {
      msg.fail(ErrorCode.NOT_FOUND.failureCode(), "unknown job '" + name + "' (jobs: " + jobs.stream().map(CronJob::name).toList() + ")");
      return;
    }
    long slot = -clock.millis();
    start(job, slot, "manual")
        .onSuccess(
            outcome -> {
              switch (outcome.kind()) {
                case DONE -> msg.reply(new JsonObject().put("job", name).put("status", "succeeded").put("messages", outcome.messages()));
                case STARTED -> msg.reply(new JsonObject().put("job", name).put("status", "running").put("started", CronRuns.slotTime(slot)));
                default -> msg.fail(ErrorCode.CONFLICT.failureCode(), name + " is still running: " + (outcome.running() == null ? "a run holds it" : outcome.running().encode()));
              }
            })
        .onFailure(
            err -> {
              boolean skipped = err.getMessage() != null && err.getMessage().contains("skipped:");
              msg.fail((skipped ? ErrorCode.CONFLICT : ErrorCode.UNAVAILABLE).failureCode(), (skipped ? name + " is still running on pg_cron: " : "could not run " + name + ": ") + err.getMessage());
            });
  }
}
