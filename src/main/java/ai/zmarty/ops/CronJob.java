package ai.zmarty.ops;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * One scheduled job: its name (the {@code scheduler_runs} key and, prefixed with {@code zmarty_},
 * its pg_cron job name), its cron schedule, and what a run does: a set-based enqueue statement
 * ({@code enqueueSql}) or a request to a bus address ({@code address}) answered within {@code
 * timeout}. A run holds the job for its lease: the timeout plus a minute.
 */
record CronJob(String name, CronSchedule cron, String enqueueSql, String address, Duration timeout) {
  static final Duration LEASE_MARGIN = Duration.ofMinutes(1);

  static CronJob sql(String name, CronSchedule cron, String enqueueSql) {
    return new CronJob(name, cron, enqueueSql, null, Duration.ofMinutes(5));
  }

  static CronJob bus(String name, CronSchedule cron, String address, Duration timeout) {
    return new CronJob(name, cron, null, address, timeout);
  }

  boolean isSql() {
    return enqueueSql != null;
  }

  String cronName() {
    return "zmarty_" + name;
  }

  Duration lease() {
    return timeout.plus(LEASE_MARGIN);
  }

  /** Whether pg_cron can run it: a SQL job on a five-field UTC schedule. */
  boolean pgCronEligible() {
    return isSql() && cron.pgCron().isPresent();
  }

  /** Why a bus job's request failed, in the words its run record keeps. */
  String failure(Throwable cause) {
    if (cause instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      return "no consumer answered on " + address + ": nothing in the cluster handles it (the nightly pipeline is not deployed)";
    }
    if (cause instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
      return "no answer on " + address + " within " + timeout.toSeconds() + " s";
    }
    return cause.getMessage();
  }

  /** {@code GET /admin/cron}'s entry: schedule, runner, the next three fire times (UTC and local), runs. */
  JsonObject describe(boolean onPgCron, Instant now, JsonArray runs) {
    JsonArray next = new JsonArray();
    for (Instant t : cron.next(now, 3)) {
      next.add(new JsonObject().put("utc", t.toString()).put("local", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(cron.zone()))));
    }
    JsonObject out =
        new JsonObject()
            .put("job", name)
            .put("expression", cron.expression())
            .put("zone", cron.zone().getId())
            .put("runner", onPgCron ? "pg_cron" : "app")
            .put(isSql() ? "enqueues" : "address", isSql() ? name : address)
            .put("next", next)
            .put("runs", runs);
    return onPgCron ? out.put("pg_cron_job", cronName()) : out;
  }
}
