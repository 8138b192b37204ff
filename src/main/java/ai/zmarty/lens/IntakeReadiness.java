package ai.zmarty.lens;

import ai.zmarty.bus.Addresses;
import ai.zmarty.queue.PgmqClient;
import ai.zmarty.queue.QueueWait;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /ready}: both databases answer, and neither lens queue has a ready message older than
 * {@code LENS_READY_MAX_AGE} (no worker keeping up). 200 {@code {"status":"UP","checks":[…]}}, else
 * 503 with {@code error}, a {@code message} naming each failed check, and the checks.
 */
public final class IntakeReadiness {
  private static final Set<String> LENS_QUEUES = Set.of(Addresses.QUEUE_LENS_ENRICH, Addresses.QUEUE_LENS_EVALUATE);

  private final Pool chat;
  private final Pool trading;
  private final PgmqClient queues;
  private final Duration maxAge;
  private final Duration timeout;

  public IntakeReadiness(Pool chat, Pool trading, PgmqClient queues, Duration maxAge, Duration timeout) {
    this.chat = chat;
    this.trading = trading;
    this.queues = queues;
    this.maxAge = maxAge;
    this.timeout = timeout;
  }

  /** HTTP status and body. */
  public record Verdict(int status, JsonObject body) {}

  public Future<Verdict> check() {
    Future<JsonObject> a = database("database_a", chat);
    Future<JsonObject> b = database("database_b", trading);
    Future<List<JsonObject>> q = bounded(queues.waiting()).map(this::queueChecks)
        .otherwise(err -> List.of(down("lens_queues", "cannot read the lens queues: " + reason(err))));
    return Future.join(a, b, q).transform(ignored -> {
      List<JsonObject> checks = new ArrayList<>(List.of(a.result(), b.result()));
      checks.addAll(q.result());
      List<String> failed = checks.stream().filter(c -> !"UP".equals(c.getString("status"))).map(c -> c.getString("name") + " (" + c.getString("error") + ")").toList();
      JsonObject body = new JsonObject().put("status", failed.isEmpty() ? "UP" : "DOWN").put("checks", new JsonArray(checks));
      if (!failed.isEmpty()) {
        body.put("error", "unavailable").put("message", "not ready: " + String.join("; ", failed));
      }
      return Future.succeededFuture(new Verdict(failed.isEmpty() ? 200 : 503, body));
    });
  }

  private Future<JsonObject> database(String name, Pool pool) {
    return bounded(pool.query("select 1").execute()).map(rows -> new JsonObject().put("name", name).put("status", "UP"))
        .otherwise(err -> down(name, "does not answer: " + reason(err)));
  }

  private List<JsonObject> queueChecks(List<QueueWait> waits) {
    List<JsonObject> out = new ArrayList<>();
    for (QueueWait w : waits) {
      if (!LENS_QUEUES.contains(w.queue())) {
        continue;
      }
      int age = w.oldestWaitSeconds() == null ? 0 : w.oldestWaitSeconds();
      JsonObject c = new JsonObject().put("name", "queue:" + w.queue()).put("depth", w.length()).put("waiting", w.waiting()).put("oldest_wait_s", age);
      if (age > maxAge.toSeconds()) {
        c.put("status", "DOWN").put("error", "oldest ready message has waited " + age + " s, over LENS_READY_MAX_AGE " + maxAge.toSeconds() + " s");
      } else {
        c.put("status", "UP");
      }
      out.add(c);
    }
    for (String missing : LENS_QUEUES) {
      if (out.stream().noneMatch(c -> c.getString("name").equals("queue:" + missing))) {
        out.add(down("queue:" + missing, "the queue does not exist (migrations not applied?)"));
      }
    }
    return out;
  }

  private <T> Future<T> bounded(Future<T> f) {
    return f.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static JsonObject down(String name, String error) {
    return new JsonObject().put("name", name).put("status", "DOWN").put("error", error);
  }

  private static String reason(Throwable err) {
    return err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
  }
}
