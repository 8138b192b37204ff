package ai.zmarty.ops;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * Answers {@code ops.health} ({@code GET /admin/health}) with the report of the seven checks, on
 * every node that serves the API or runs the ops role. Callers at the same moment share one round,
 * and a report is reused for {@value #REUSE_MS} ms, so a dashboard refreshing in many tabs does not
 * multiply the checks.
 */
public final class HealthVerticle extends VerticleBase {
  static final long REUSE_MS = 1_000;

  private final SystemChecks checks;
  private Future<JsonObject> last;
  private long lastAt;

  public HealthVerticle(SystemChecks checks) {
    this.checks = checks;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<Object>consumer(Addresses.OPS_HEALTH, msg -> report()
        .onSuccess(msg::reply)
        .onFailure(err -> msg.fail(ErrorCode.INTERNAL.failureCode(), "health report failed: " + err.getMessage()))).completion();
  }

  /** On the event loop only: the round in flight, or one finished under REUSE_MS ago, else a new one. */
  private Future<JsonObject> report() {
    long now = System.nanoTime();
    if (last != null && (!last.isComplete() || (last.succeeded() && now - lastAt < REUSE_MS * 1_000_000))) {
      return last;
    }
    lastAt = now;
    last = checks.run().map(SystemHealth::toJson);
    return last;
  }
}
