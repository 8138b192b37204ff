package ai.zmarty.ops;

import ai.zmarty.metrics.OpsMetrics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The scheduler's runs in database B ({@code scheduler_runs}): claiming a slot (one node per slot,
 * one running run per job, expired leases released), running a SQL job in the claim's transaction,
 * finishing a bus job's run, and the history {@code GET /admin/cron} shows.
 */
final class CronRuns {
  /** What a claim found: it ran (SQL job, {@code messages}), it started (bus job), the slot was taken, or the job was busy. */
  enum Kind {
    DONE, STARTED, TAKEN, BUSY;

    /** The metrics outcome of a settled slot; a slot skipped because the job still ran is {@code skipped}. */
    String metricsOutcome() {
      return switch (this) {
        case DONE, STARTED -> OpsMetrics.FIRED;
        case TAKEN -> OpsMetrics.TAKEN_ELSEWHERE;
        case BUSY -> "skipped";
      };
    }
  }

  record Outcome(Kind kind, int messages, JsonObject running) {}

  private static final int HISTORY = 20;

  private final Pool trading;
  private final String node;

  CronRuns(Pool trading, String node) {
    this.trading = trading;
    this.node = node;
  }

  /**
   * Claims {@code slot} of {@code job}; a SQL job also runs, in the same transaction (a failure rolls
   * the claim back, so the slot can be tried again). A scheduled slot that finds the job busy is
   * recorded as skipped.
   */
  Future<Outcome> claim(CronJob job, long slot, String trigger) {
    return trading.withTransaction(
        conn ->
            conn.preparedQuery(OpsSql.EXPIRE_LEASES)
                .execute(Tuple.of(job.name()))
                .compose(v -> conn.preparedQuery(OpsSql.CLAIM_SLOT).execute(Tuple.of(job.name(), slot, trigger, job.lease().toMillis(), node)))
                .compose(claimed -> claimed.size() == 0 ? notClaimed(conn, job, slot, trigger) : claimed(conn, job, slot)));
  }

  private Future<Outcome> claimed(SqlConnection conn, CronJob job, long slot) {
    if (!job.isSql()) {
      return Future.succeededFuture(new Outcome(Kind.STARTED, 0, null));
    }
    return conn.preparedQuery(OpsSql.RUN_SQL_JOB)
        .execute(Tuple.of(job.name(), job.enqueueSql()))
        .map(rows -> rows.iterator().next().getInteger("messages"))
        .compose(
            n ->
                conn.preparedQuery(OpsSql.FINISH)
                    .execute(Tuple.of(job.name(), slot, "succeeded", n, null, null))
                    .compose(v -> conn.preparedQuery(OpsSql.PRUNE_RUNS).execute(Tuple.of(job.name())))
                    .map(v -> new Outcome(Kind.DONE, n, null)));
  }

  private Future<Outcome> notClaimed(SqlConnection conn, CronJob job, long slot, String trigger) {
    return conn.preparedQuery(OpsSql.RUNNING)
        .execute(Tuple.of(job.name()))
        .compose(
            rows -> {
              if (rows.size() == 0 || rows.iterator().next().getLong("slot") == slot) {
                return Future.succeededFuture(new Outcome(Kind.TAKEN, 0, null));
              }
              Row r = rows.iterator().next();
              JsonObject running = new JsonObject().put("slot", slotTime(r.getLong("slot"))).put("trigger", r.getString("trigger")).put("node", r.getString("node")).put("started_at", text(r.getOffsetDateTime("started_at")));
              Outcome busy = new Outcome(Kind.BUSY, 0, running);
              if (!"schedule".equals(trigger)) {
                return Future.succeededFuture(busy);
              }
              String why = "skipped: the previous run (" + running.getString("trigger") + " " + running.getString("slot") + " on " + running.getString("node") + ") was still running";
              return conn.preparedQuery(OpsSql.RECORD_SKIPPED).execute(Tuple.of(job.name(), slot, node, why)).map(v -> busy);
            });
  }

  /** Ends a bus job's run with its status, error and the consumer's answer. */
  Future<Void> finish(CronJob job, long slot, String status, String error, JsonObject result) {
    return trading.preparedQuery(OpsSql.FINISH).execute(Tuple.of(job.name(), slot, status, null, error, result)).mapEmpty();
  }

  /** {@code GET /admin/cron}'s answer: every job with its schedule, runner and latest runs. */
  Future<JsonObject> describe(List<CronJob> jobs, Set<String> onPgCron, Instant now) {
    List<Future<JsonObject>> described = new ArrayList<>();
    for (CronJob job : jobs) {
      boolean cron = onPgCron.contains(job.name());
      described.add(history(job, cron, HISTORY).map(history -> job.describe(cron, now, history)));
    }
    return Future.all(described).map(all -> new JsonObject().put("now", now.toString()).put("jobs", new JsonArray(described.stream().map(Future::result).toList())));
  }

  /** The latest {@code limit} runs, newest first: the app's own, and pg_cron's where it runs the job. */
  Future<JsonArray> history(CronJob job, boolean onPgCron, int limit) {
    Future<List<JsonObject>> app = trading.preparedQuery(OpsSql.APP_RUNS).execute(Tuple.of(job.name(), limit)).map(CronRuns::appRuns);
    Future<List<JsonObject>> cron =
        onPgCron ? trading.preparedQuery(OpsSql.CRON_RUNS).execute(Tuple.of(job.cronName(), limit)).map(CronRuns::cronRuns) : Future.succeededFuture(List.of());
    return Future.all(app, cron)
        .map(
            v -> {
              List<JsonObject> all = new ArrayList<>(app.result());
              all.addAll(cron.result());
              all.sort(Comparator.comparing((JsonObject r) -> r.getString("started_at", "")).reversed());
              return new JsonArray(new ArrayList<>(all.subList(0, Math.min(limit, all.size()))));
            });
  }

  private static List<JsonObject> appRuns(RowSet<Row> rows) {
    List<JsonObject> out = new ArrayList<>();
    for (Row r : rows) {
      JsonObject run = timing(new JsonObject().put("source", "app").put("trigger", r.getString("trigger")).put("slot", slotTime(r.getLong("slot"))), r.getOffsetDateTime("started_at"), r.getOffsetDateTime("finished_at"));
      run.put("status", r.getString("status")).put("node", r.getString("node")).put("messages", r.getInteger("messages")).put("error", r.getString("error"));
      Object result = r.getValue("result");
      out.add(result == null ? run : run.put("result", result));
    }
    return out;
  }

  private static List<JsonObject> cronRuns(RowSet<Row> rows) {
    List<JsonObject> out = new ArrayList<>();
    for (Row r : rows) {
      String message = r.getString("return_message");
      String status = message != null && message.contains("skipped:") ? "skipped" : r.getString("status");
      JsonObject run = new JsonObject().put("source", "pg_cron").put("trigger", "schedule").put("runid", r.getLong("runid"));
      out.add(timing(run, r.getOffsetDateTime("start_time"), r.getOffsetDateTime("end_time")).put("status", status).put("return_message", message));
    }
    return out;
  }

  private static JsonObject timing(JsonObject run, OffsetDateTime start, OffsetDateTime end) {
    run.put("started_at", text(start)).put("finished_at", text(end));
    return run.put("duration_ms", start == null || end == null ? null : Duration.between(start, end).toMillis());
  }

  /** A slot as its scheduled fire time; a manual run's (negative) slot as its request time. */
  static String slotTime(long slot) {
    return Instant.ofEpochMilli(Math.abs(slot)).toString();
  }

  private static String text(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
