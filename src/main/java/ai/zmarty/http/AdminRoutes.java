package ai.zmarty.http;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * Operator routes, for tokens with role {@code service_role} only (403 otherwise).
 * {@code POST /admin/credits {user_id, amount, reason}} writes one positive ledger row; an
 * {@code Idempotency-Key} header makes a retried top-up grant once. {@code GET /admin/cron} and
 * {@code POST /admin/cron/{job}/run} ask the scheduler of an ops node over the bus.
 */
final class AdminRoutes {
  private final Vertx vertx;

  AdminRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router router) {
    router.route("/admin/*").handler(this::serviceRoleOnly);
    router.post("/admin/credits").handler(this::topUp);
    router.get("/admin/cron").handler(rc -> Responses.respond(rc, 200, vertx.eventBus().<JsonObject>request(Addresses.OPS_CRON_LIST, new JsonObject()).map(m -> m.body())));
    router.post("/admin/cron/:job/run").handler(this::runJob);
  }

  /** Runs a scheduled job now on an ops node: 200 done (SQL job), 202 started (nightly), 404 unknown, 409 running. */
  private void runJob(RoutingContext rc) {
    JsonObject request = new JsonObject().put("job", rc.pathParam("job"));
    vertx.eventBus()
        .<JsonObject>request(Addresses.OPS_CRON_RUN, request)
        .onSuccess(m -> Responses.json(rc, "running".equals(m.body().getString("status")) ? 202 : 200, m.body()))
        .onFailure(rc::fail);
  }

  private void serviceRoleOnly(RoutingContext rc) {
    if (!"service_role".equals(Authenticator.user(rc).role())) {
      Errors.send(rc, ErrorCode.FORBIDDEN, "admin routes need a service_role token");
      return;
    }
    rc.next();
  }

  private void topUp(RoutingContext rc) {
    JsonObject body = Responses.jsonBody(rc);
    if (body == null) {
      return;
    }
    try {
      UUID.fromString(String.valueOf(body.getValue("user_id")));
    } catch (IllegalArgumentException e) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "user_id must be a UUID");
      return;
    }
    if (!(body.getValue("amount") instanceof Number) || !(body.getValue("reason") instanceof String reason) || reason.isBlank()) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "amount (credits) and reason are required");
      return;
    }
    String key = rc.request().getHeader("Idempotency-Key");
    String requestId = "topup-" + (key == null || key.isBlank() ? UUID.randomUUID() : key);
    JsonObject request = new JsonObject().put("request_id", requestId).put("user_id", body.getString("user_id")).put("amount", body.getLong("amount")).put("reason", reason);
    Responses.respond(rc, 201, vertx.eventBus().<JsonObject>request(Addresses.CREDIT_GRANT, request).map(m -> m.body()));
  }
}
