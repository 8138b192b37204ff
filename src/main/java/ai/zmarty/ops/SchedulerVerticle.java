package ai.zmarty.ops;

import ai.zmarty.config.ZmartyConfig.SchedulerConfig;
import ai.zmarty.metrics.OpsMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues the periodic jobs, once per period cluster-wide: {@code ingest_indicators} for every
 * active watched pair that is not paused every {@code SCHEDULER_INGEST_EVERY} (spread over
 * {@code SCHEDULER_INGEST_SPREAD} of the period), {@code compute_winrate} every
 * {@code SCHEDULER_WINRATE_EVERY}. Where database B has pg_cron the jobs are handed to it and this
 * verticle does nothing more; otherwise every ops node ticks, and the node whose insert of
 * (job, slot) into {@code scheduler_runs} succeeds enqueues, in that same transaction.
 */
public final class SchedulerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SchedulerVerticle.class);
  private static final Duration RETRY_SETUP = Duration.ofSeconds(5);

  /** A periodic job: its name (also the scheduler_runs key), period and enqueueing statement. */
  record Job(String name, Duration every, String enqueueSql) {
    String cronName() {
      return "zmarty_" + name;
    }
  }

  private final Pool trading;
  private final List<Job> jobs;
  private final OpsMetrics metrics;
  private final Map<String, Long> settledSlot = new HashMap<>();
  private final Set<String> busy = new HashSet<>();
  private List<Job> inApp = List.of();
  private long timer = -1;
  private boolean stopping;
  private volatile long fired;
  private volatile long claims;

  public SchedulerVerticle(Pool trading, SchedulerConfig config) {
    this(trading, config, ai.zmarty.metrics.Metrics.disabled().ops());
  }

  public SchedulerVerticle(Pool trading, SchedulerConfig config, OpsMetrics metrics) {
    this.trading = trading;
    this.metrics = metrics;
    this.jobs =
        List.of(
            new Job("ingest_indicators", config.ingestEvery(), SchedulerSql.enqueueIngest(Schedule.spreadSeconds(config.ingestEvery(), config.ingestSpread()))),
            new Job("compute_winrate", config.winrateEvery(), SchedulerSql.ENQUEUE_WINRATE));
  }

  @Override
  public Future<?> start() {
    setUp();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** Slots this node took (and so enqueued for). */
  public long fired() {
    return fired;
  }

  /** Slot claims this node settled, taken or found taken by another node: it ticked. */
  public long claims() {
    return claims;
  }

  /** Decides pg_cron or in-app; until B answers, nothing is scheduled either way, then it retries. */
  private void setUp() {
    if (stopping) {
      return;
    }
    trading
        .query(SchedulerSql.HAS_PG_CRON)
        .execute()
        .map(rows -> rows.iterator().next().getBoolean("present"))
        .compose(pgCron -> pgCron ? handToPgCron() : Future.succeededFuture(jobs))
        .onSuccess(this::runInApp)
        .onFailure(
            err -> {
              log.warn("scheduler cannot reach database B ({}); trying again in {} s", err.getMessage(), RETRY_SETUP.toSeconds());
              timer = vertx.setTimer(RETRY_SETUP.toMillis(), id -> setUp());
            });
  }

  /** Registers each job pg_cron can express; returns the ones left to schedule in-app. */
  private Future<List<Job>> handToPgCron() {
    List<Job> left = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Job job : jobs) {
      Optional<String> cron = Schedule.cron(job.every());
      if (cron.isEmpty()) {
        log.warn("scheduler job={} every {} ms has no exact minute-level cron form; scheduling it in-app", job.name(), job.every().toMillis());
        left.add(job);
        continue;
      }
      chain =
          chain.compose(
              v ->
                  trading
                      .preparedQuery(SchedulerSql.CRON_SCHEDULE)
                      .execute(Tuple.of(job.cronName(), cron.get(), job.enqueueSql()))
                      .onSuccess(rows -> log.info("scheduler job={} handed to pg_cron as {} schedule='{}' jobid={}", job.name(), job.cronName(), cron.get(), rows.iterator().next().getLong("jobid")))
                      .<Void>mapEmpty()
                      .recover(
                          err -> {
                            log.warn("scheduler job={} could not be registered with pg_cron ({}); scheduling it in-app", job.name(), err.getMessage());
                            left.add(job);
                            return Future.succeededFuture();
                          }));
    }
    return chain.map(v -> left);
  }

  private void runInApp(List<Job> remaining) {
    inApp = List.copyOf(remaining);
    if (inApp.isEmpty() || stopping) {
      return;
    }
    Duration shortest = inApp.stream().map(Job::every).min(Comparator.naturalOrder()).orElseThrow();
    Duration tick = Schedule.tick(shortest);
    inApp.forEach(job -> metrics.scheduled(job.name(), job.every(), Instant.now()));
    timer = vertx.setPeriodic(tick.toMillis(), id -> tick());
    log.info("scheduler in-app for {} (tick {} ms)", inApp.stream().map(j -> j.name() + " every " + j.every().toMillis() + " ms").toList(), tick.toMillis());
    tick();
  }

  private void tick() {
    Instant now = Instant.now();
    for (Job job : inApp) {
      long slot = Schedule.slot(now, job.every());
      Long settled = settledSlot.get(job.name());
      if ((settled != null && settled >= slot) || !busy.add(job.name())) {
        continue;
      }
      fire(job, slot)
          .onComplete(
              ar -> {
                busy.remove(job.name());
                metrics.schedulerRun(job.name(), ar.failed() ? OpsMetrics.FAILED : ar.result() >= 0 ? OpsMetrics.FIRED : OpsMetrics.TAKEN_ELSEWHERE, Instant.now());
                if (ar.succeeded()) {
                  settledSlot.put(job.name(), slot);
                } else if (!stopping) {
                  log.warn("scheduler job={} slot={} not settled, will retry: {}", job.name(), slot, ar.cause().getMessage());
                }
              });
    }
  }

  /** Takes the slot and enqueues in one transaction; -1 when another node had taken it. */
  private Future<Integer> fire(Job job, long slot) {
    return trading
        .withTransaction(
            conn ->
                conn.preparedQuery(SchedulerSql.CLAIM_SLOT)
                    .execute(Tuple.of(job.name(), slot))
                    .compose(
                        claimed -> {
                          if (claimed.size() == 0) {
                            return Future.succeededFuture(-1);
                          }
                          return conn.query(job.enqueueSql())
                              .execute()
                              .compose(
                                  sent ->
                                      conn.preparedQuery(SchedulerSql.RECORD_MESSAGES)
                                          .execute(Tuple.of(job.name(), slot, sent.size()))
                                          .compose(v -> conn.preparedQuery(SchedulerSql.PRUNE_RUNS).execute(Tuple.of(job.name())))
                                          .map(v -> sent.size()));
                        }))
        .onSuccess(
            messages -> {
              claims++;
              if (messages >= 0) {
                fired++;
                log.info("scheduler fired job={} slot={} messages={}", job.name(), slot, messages);
              }
            });
  }
}
