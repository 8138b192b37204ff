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
 * {@code Idempotency-Key} header makes a retried top-up grant once. {@code GET /admin/health}: the
 * seven checks of {@code zmarty health}, run by an ops node ({@code ops.health}); 200 healthy or
 * warning, 503 critical, the report as the body either way.
 */
final class AdminRoutes {
  private final Vertx vertx;

  AdminRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router router) {
    router.route("/admin/*").handler(this::serviceRoleOnly);
    router.post("/admin/credits").handler(this::topUp);
    router.get("/admin/health").handler(this::health);
  }

  private void serviceRoleOnly(RoutingContext rc) {
    if (!"service_role".equals(Authenticator.user(rc).role())) {
      Errors.send(rc, ErrorCode.FORBIDDEN, "admin routes need a service_role token");
      return;
    }
    rc.next();
  }

  private void health(RoutingContext rc) {
    vertx.eventBus().<JsonObject>request(Addresses.OPS_HEALTH, new JsonObject(), new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(30_000))
        .onSuccess(m -> Responses.json(rc, "critical".equals(m.body().getString("status")) ? 503 : 200, m.body()))
        .onFailure(rc::fail);
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
