package ai.zmarty.ops;

import ai.zmarty.config.ZmartyConfig.HealthConfig;
import ai.zmarty.ops.HealthReport.Check;
import ai.zmarty.queue.PgmqClient;
import ai.zmarty.queue.QueueMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the health checks: database A and B answer, and no queue is deeper than the threshold.
 * Every check has its own time limit, so one hung database cannot hang the endpoint.
 */
public final class HealthChecks {
  private final Vertx vertx;
  private final Pool chat;
  private final Pool trading;
  private final PgmqClient queues;
  private final HealthConfig config;

  public HealthChecks(Vertx vertx, Pool chat, Pool trading, PgmqClient queues, HealthConfig config) {
    this.vertx = vertx;
    this.chat = chat;
    this.trading = trading;
    this.queues = queues;
    this.config = config;
  }

  public Future<HealthReport> run() {
    Future<Check> a = ping("database_chat", chat);
    Future<Check> b = ping("database_trading", trading);
    Future<List<Check>> depths = queueDepths();
    return Future.join(a, b, depths)
        .transform(
            ignored -> {
              List<Check> checks = new ArrayList<>();
              checks.add(a.result());
              checks.add(b.result());
              checks.addAll(depths.result());
              return Future.succeededFuture(new HealthReport(checks));
            });
  }

  private Future<Check> ping(String name, Pool pool) {
    long t0 = System.nanoTime();
    return limited(pool.query("select 1").execute())
        .map(rows -> Check.up(name, new JsonObject().put("latency_ms", (System.nanoTime() - t0) / 1_000_000)))
        .otherwise(err -> Check.down(name, message(err)));
  }

  private Future<List<Check>> queueDepths() {
    return limited(queues.metricsAll())
        .map(
            metrics -> {
              List<Check> checks = new ArrayList<>();
              for (QueueMetrics m : metrics) {
                JsonObject data = new JsonObject().put("depth", m.length()).put("threshold", config.queueDepthThreshold());
                boolean up = m.length() < config.queueDepthThreshold();
                checks.add(new Check("queue:" + m.queue(), up, up ? data : data.put("error", "depth " + m.length() + " is not under " + config.queueDepthThreshold())));
              }
              return checks;
            })
        .otherwise(err -> List.of(Check.down("queues", message(err))));
  }

  private <T> Future<T> limited(Future<T> work) {
    return work.timeout(config.checkTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String message(Throwable err) {
    return err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
  }
}
