package ai.zmarty.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * Marks the schedules ({@code ops.cron.list}'s answer) for operators: a job whose last scheduled
 * fire time passed more than {@link #GRACE} ago with no scheduled run since is {@code missed}; a
 * run that started more than {@link #GRACE} after its slot is {@code late}. The previous fire time
 * is taken as the next one minus the gap to the one after (cron schedules here are regular).
 */
final class CronMarks {
  static final Duration GRACE = Duration.ofMinutes(2);

  private CronMarks() {}

  static JsonObject mark(JsonObject list, Instant now) {
    JsonArray jobs = new JsonArray();
    for (Object o : list.getJsonArray("jobs", new JsonArray())) {
      JsonObject job = ((JsonObject) o).copy();
      JsonArray next = job.getJsonArray("next", new JsonArray());
      JsonArray runs = job.getJsonArray("runs", new JsonArray());
      JsonArray marked = new JsonArray();
      for (Object r : runs) {
        JsonObject run = ((JsonObject) r).copy();
        marked.add(run.put("late", late(run)));
      }
      job.put("runs", marked);
      if (next.size() >= 2) {
        Instant n0 = Instant.parse(next.getJsonObject(0).getString("utc"));
        Instant previous = n0.minus(Duration.between(n0, Instant.parse(next.getJsonObject(1).getString("utc"))));
        boolean ranSince = runs.stream().map(r -> (JsonObject) r).anyMatch(r -> !"manual".equals(r.getString("trigger")) && started(r) != null && !started(r).isBefore(previous.minusSeconds(1)));
        job.put("previous", previous.toString()).put("missed", !ranSince && now.isAfter(previous.plus(GRACE)));
      }
      jobs.add(job);
    }
    return list.copy().put("jobs", jobs);
  }

  private static boolean late(JsonObject run) {
    Instant started = started(run);
    if (started == null || !"schedule".equals(run.getString("trigger")) || run.getString("slot") == null) {
      return false;
    }
    return Duration.between(Instant.parse(run.getString("slot")), started).compareTo(GRACE) > 0;
  }

  private static Instant started(JsonObject run) {
    String s = run.getString("started_at");
    return s == null ? null : Instant.parse(s);
  }
}
