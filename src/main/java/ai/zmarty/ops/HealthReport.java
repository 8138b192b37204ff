package ai.zmarty.ops;

import ai.zmarty.queue.QueueWait;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The outcome of one round of health checks, taken at {@code checkedAt}: UP only when every check is. */
public record HealthReport(List<Check> checks, Instant checkedAt) {

  /** One named check; {@code data} says what was measured or what failed. */
  public record Check(String name, boolean up, JsonObject data) {
    public static Check up(String name, JsonObject data) {
      return new Check(name, true, data);
    }

    public static Check down(String name, String error) {
      return new Check(name, false, new JsonObject().put("error", error));
    }

    JsonObject toJson() {
      return new JsonObject().put("name", name).put("status", up ? "UP" : "DOWN").mergeIn(data);
    }
  }

  /**
   * A work queue is DOWN when its oldest ready message has waited longer than {@code maxAge}: no
   * worker is keeping up. Depth is reported beside it but never fails the check (1,000 fresh
   * messages being worked off are healthy); alerts on depth belong to the alert rules. The dead
   * letter queue only reports its depth: its messages wait for an operator, not a worker.
   */
  public static Check queue(QueueWait q, Duration maxAge, boolean deadLetter) {
    JsonObject data = new JsonObject().put("depth", q.length()).put("waiting", q.waiting()).put("oldest_wait_s", q.oldestWaitSeconds());
    if (deadLetter) {
      return Check.up("queue:" + q.queue(), data.put("dead_letter", true));
    }
    data.put("max_age_s", maxAge.toSeconds());
    boolean up = q.oldestWaitSeconds() == null || q.oldestWaitSeconds() <= maxAge.toSeconds();
    return new Check("queue:" + q.queue(), up, up ? data : data.put("error", "the oldest ready message has waited " + q.oldestWaitSeconds() + " s, more than " + maxAge.toSeconds() + " s: no worker is keeping up"));
  }

  public boolean up() {
    return checks.stream().allMatch(Check::up);
  }

  public int httpStatus() {
    return up() ? 200 : 503;
  }

  public List<Check> failing() {
    return checks.stream().filter(c -> !c.up()).toList();
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    checks.forEach(c -> array.add(c.toJson()));
    return new JsonObject().put("status", up() ? "UP" : "DOWN").put("checked_at", checkedAt.toString()).put("checks", array);
  }
}
