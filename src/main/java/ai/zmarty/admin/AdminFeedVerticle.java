package ai.zmarty.admin;

import ai.zmarty.bus.Addresses;
import ai.zmarty.credit.CreditUsage;
import ai.zmarty.queue.QueueAdmin;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops role's live feed for operators: every second, and at once after an operator's action,
 * it publishes the {@code admin.*} snapshots (queues, dead letters, schedules, recent errors,
 * credits, providers, cluster, health, lens). One ops node of the cluster publishes: the one
 * holding the cluster-wide lock {@link #LOCK} (Vert.x shared data: a Hazelcast semaphore when
 * clustered, released when its holder stops or leaves the cluster); the others try again every
 * {@link #TAKE_OVER_S} s. Every ops node keeps the errors and node reports it hears, so a new
 * publisher starts with them. Queue, dead-letter and lens figures are read each second; schedules
 * and credits every {@link #SLOW_EVERY} s; health every {@link #HEALTH_EVERY} s (its checks probe
 * outside services), and every second while it has no report yet.
 */
public final class AdminFeedVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(AdminFeedVerticle.class);
  static final String LOCK = "zmarty.admin.feed";
  static final int TAKE_OVER_S = 5;
  static final int SLOW_EVERY = 5;
  static final int HEALTH_EVERY = 15;

  private final QueueAdmin queues;
  private final CreditUsage credits;
  private final Pool trading;
  private final ai.zmarty.ops.PipelineStore nightly;
  private final FeedState state = new FeedState();
  private final Map<String, JsonObject> latest = new HashMap<>();
  private Lock lock;
  private long ticks;
  private boolean busy;
  private boolean again;
  private boolean healthAsked;

  public AdminFeedVerticle(QueueAdmin queues, CreditUsage credits, Pool trading) {
    this.queues = queues;
    this.credits = credits;
    this.trading = trading;
    this.nightly = new ai.zmarty.ops.PipelineStore(trading);
  }

  @Override
  public Future<?> start() {
    var errors = vertx.eventBus().<JsonObject>consumer(Addresses.OPS_LOG_EVENTS, m -> state.error(m.body()));
    var reports = vertx.eventBus().<JsonObject>consumer(Addresses.OPS_NODE_REPORT, m -> state.report(m.body(), Instant.now()));
    var refresh = vertx.eventBus().<JsonObject>consumer(Addresses.OPS_ADMIN_REFRESH, m -> tick());
    vertx.setPeriodic(1_000, id -> tick());
    return Future.join(errors.completion(), reports.completion(), refresh.completion());
  }

  @Override
  public Future<?> stop() {
    if (lock != null) {
      lock.release();
    }
    return Future.succeededFuture();
  }

  /** Whether this node publishes the feed now. */
  public boolean publishing() {
    return lock != null;
  }

  private void tick() {
    if (lock == null) {
      if (ticks++ % TAKE_OVER_S == 0) {
        vertx.sharedData().getLockWithTimeout(LOCK, 200).onSuccess(l -> {
          lock = l;
          log.info("admin feed: this node publishes the admin.* snapshots");
          tick();
        });
      }
      return;
    }
    if (busy) {
      again = true; // a change arrived while reading: read once more right after
      return;
    }
    busy = true;
    long n = ticks++;
    read(n).onComplete(ar -> {
      busy = false;
      publishAll();
      if (again) {
        again = false;
        tick();
      }
    });
  }

  private Future<?> read(long n) {
    Future<?> fast = Future.join(
        Future.all(queues.stats(), queues.paused()).map(all -> {
          Set<String> paused = names(all.resultAt(1));
          return latest.put(Addresses.ADMIN_QUEUES, state.queues(all.resultAt(0), paused, Instant.now()));
        }).onFailure(err -> failed(Addresses.ADMIN_QUEUES, err)),
        queues.deadLetterGroups().map(groups -> latest.put(Addresses.ADMIN_DLQ, dlq(groups))).onFailure(err -> failed(Addresses.ADMIN_DLQ, err)),
        lens().map(l -> latest.put(Addresses.ADMIN_LENS, l)).onFailure(err -> failed(Addresses.ADMIN_LENS, err)));
    if (n % SLOW_EVERY == 0) {
      fast = Future.join(fast,
          Future.all(vertx.eventBus().<JsonObject>request(Addresses.OPS_CRON_LIST, new JsonObject()), nightly.lastRun())
              .map(all -> latest.put(Addresses.ADMIN_CRON, CronMarks.mark(all.<io.vertx.core.eventbus.Message<JsonObject>>resultAt(0).body(), Instant.now())
                  .put("last_nightly", all.<java.util.Optional<JsonObject>>resultAt(1).orElse(null))))
              .onFailure(err -> failed(Addresses.ADMIN_CRON, err)),
          credits.snapshot().map(c -> latest.put(Addresses.ADMIN_CREDITS, c)).onFailure(err -> failed(Addresses.ADMIN_CREDITS, err)));
    }
    JsonObject health = latest.get(Addresses.ADMIN_HEALTH);
    // until a first report comes (the health service may start after this feed), every second
    if ((n % HEALTH_EVERY == 0 || health == null || health.containsKey("error")) && !healthAsked) {
      healthAsked = true; // not waited for: the checks can take seconds
      vertx.eventBus().<JsonObject>request(Addresses.OPS_HEALTH, new JsonObject(), new DeliveryOptions().setSendTimeout(30_000))
          .onSuccess(m -> latest.put(Addresses.ADMIN_HEALTH, m.body())).onFailure(err -> failed(Addresses.ADMIN_HEALTH, err))
          .onComplete(ar -> healthAsked = false);
    }
    return fast;
  }

  private void failed(String address, Throwable err) {
    latest.put(address, new JsonObject().put("error", "cannot read: " + err.getMessage()));
  }

  private JsonObject dlq(List<JsonObject> groups) {
    JsonArray out = new JsonArray();
    groups.forEach(g -> out.add(RecordLinks.linked(g)));
    return new JsonObject().put("queue", queues.deadLetterQueue()).put("groups", out).put("total", groups.stream().mapToLong(g -> g.getLong("count")).sum());
  }

  private Future<JsonObject> lens() {
    return Future.all(trading.query(AdminSql.LENS_EVENTS_BY_STATUS).execute(), trading.query(AdminSql.LENS_OPEN_DLQ).execute())
        .map(all -> new JsonObject().put("events_by_status", counts(all.resultAt(0), "status")).put("open_dlq_by_stage", counts(all.resultAt(1), "stage")));
  }

  private static JsonObject counts(io.vertx.sqlclient.RowSet<Row> rows, String key) {
    JsonObject out = new JsonObject();
    rows.forEach(r -> out.put(r.getString(key), r.getLong("n")));
    return out;
  }

  /** Every snapshot, stamped with when and by which member; the ones read from the nodes' reports are made now. */
  private void publishAll() {
    Instant now = Instant.now();
    List<JsonObject> reports = state.liveReports(now);
    var cluster = ((io.vertx.core.internal.VertxInternal) vertx).clusterManager();
    latest.put(Addresses.ADMIN_ERRORS, state.errors());
    latest.put(Addresses.ADMIN_PROVIDERS, FeedState.providers(reports));
    latest.put(Addresses.ADMIN_CLUSTER, FeedState.cluster(reports, cluster == null ? 1 : cluster.getNodes().size()));
    JsonObject outcomes = FeedState.chatOutcomes(reports);
    latest.compute(Addresses.ADMIN_CREDITS, (k, c) -> (c == null ? new JsonObject() : c.copy()).put("outcomes_since_start", outcomes));
    String by = NodeReporter.nodeId(vertx);
    latest.forEach((address, body) -> vertx.eventBus().publish(address, body.copy().put("at", now.toString()).put("by", by)));
  }

  /** Names of the paused queues. */
  static Set<String> names(List<JsonObject> paused) {
    return paused.stream().map(p -> p.getString("queue")).collect(Collectors.toSet());
  }
}
