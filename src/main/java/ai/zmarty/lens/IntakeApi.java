package ai.zmarty.lens;

import ai.zmarty.http.Responses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The lens intake's HTTP surface, mounted by the API's router: {@code POST /api/v1/signals}, the
 * query, audit and dead-letter routes, {@code GET /health} (liveness: the process answers) and
 * {@code GET /ready} (readiness, {@link IntakeReadiness}).
 */
public final class IntakeApi {
  private final IntakeRoutes signals;
  private final EventQueryRoutes queries;
  private final IntakeReadiness readiness;

  public IntakeApi(IntakeRoutes signals, EventQueryRoutes queries, IntakeReadiness readiness) {
    this.signals = signals;
    this.queries = queries;
    this.readiness = readiness;
  }

  /** What must run before the body is read (the signal size check). */
  public void mountBeforeBody(Router router) {
    signals.mountBeforeBody(router);
  }

  /** Routes without a user token: liveness and readiness. */
  public void mountProbes(Router router) {
    router.get("/health").handler(rc -> Responses.json(rc, 200, new JsonObject().put("status", "UP")));
    router.get("/ready").handler(rc -> readiness.check().onFailure(rc::fail).onSuccess(v -> Responses.json(rc, v.status(), v.body())));
  }

  /** The signal and audit routes (each checks its own credentials: a source key or a service-role token). */
  public void mount(Router router) {
    signals.mount(router);
    queries.mount(router);
  }
}
