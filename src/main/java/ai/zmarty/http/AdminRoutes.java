package ai.zmarty.http;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.credit.CreditLedger;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.UUID;

/**
 * Operator routes, for tokens with role {@code service_role} only (403 otherwise).
 * {@code POST /admin/credits {user_id, amount, reason}} writes one positive ledger row (amount a
 * whole number from 1 to {@link CreditLedger#MAX_GRANT}); an
 * {@code Idempotency-Key} header makes a retried top-up grant once. {@code GET /admin/cron} and
 * {@code POST /admin/cron/{job}/run} ask the scheduler of an ops node over the bus. {@code GET
 * /admin/health}: the seven checks of {@code zmarty health} ({@code ops.health}, answered by this
 * node's own {@code HealthVerticle}); 200 with the report, whose {@code status} says healthy,
 * warning or critical.
 */
final class AdminRoutes {
  private final Vertx vertx;

  AdminRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The role check of every admin route; installed before the request bodies are checked. */
  void guard(Router router) {
    router.route("/admin/*").handler(this::serviceRoleOnly);
  }

  void mount(Router router) {
    router.post("/admin/credits").handler(this::topUp);
    router.get("/admin/health").handler(this::health);
    router.get("/admin/cron").handler(rc -> askScheduler(rc, Addresses.OPS_CRON_LIST, new JsonObject()));
    router.post("/admin/cron/:job/run").handler(rc -> askScheduler(rc, Addresses.OPS_CRON_RUN, new JsonObject().put("job", rc.pathParam("job"))));
    router.get("/admin/sync").handler(rc -> askScheduler(rc, Addresses.OPS_SYNC_LIST, new JsonObject()));
    router.post("/admin/sync/:id/retry").handler(this::retrySync);
  }

  /**
   * Asks an ops node's scheduler: 200 (a run started answers 202), its 404/409 as they are, and 503
   * naming the cause when no node in the cluster runs the ops role.
   */
  private void askScheduler(RoutingContext rc, String address, JsonObject request) {
    vertx.eventBus()
        .<JsonObject>request(address, request)
        .onSuccess(m -> Responses.json(rc, "running".equals(m.body().getString("status")) ? 202 : 200, m.body()))
        .onFailure(
            err -> {
              if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
                Errors.send(rc, ErrorCode.UNAVAILABLE, "no node in the cluster runs the ops role (the scheduler and the sync outbox's keeper)");
              } else {
                rc.fail(err);
              }
            });
  }

  private void retrySync(RoutingContext rc) {
    String id = rc.pathParam("id");
    if (!id.matches("[0-9]{1,18}")) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "id must be an outbox row id (a whole number)");
      return;
    }
    askScheduler(rc, Addresses.OPS_SYNC_RETRY, new JsonObject().put("id", Long.parseLong(id)));
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
        .onSuccess(m -> Responses.json(rc, 200, m.body()))
        .onFailure(rc::fail);
  }

  private void topUp(RoutingContext rc) {
    JsonObject body = Responses.jsonBody(rc);
    if (body == null) {
      return;
    }
    Optional<UUID> user = Uuids.canonical(body.getValue("user_id"));
    if (user.isEmpty()) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "user_id must be a UUID");
      return;
    }
    Optional<Long> amount = wholeCredits(body.getValue("amount"));
    if (amount.isEmpty()) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "amount must be a whole number of credits from 1 to " + String.format(java.util.Locale.ROOT, "%,d", CreditLedger.MAX_GRANT));
      return;
    }
    if (!(body.getValue("reason") instanceof String reason) || reason.isBlank()) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "reason is required");
      return;
    }
    String key = rc.request().getHeader("Idempotency-Key");
    String requestId = "topup-" + (key == null || key.isBlank() ? UUID.randomUUID() : key);
    JsonObject request = new JsonObject().put("request_id", requestId).put("user_id", user.get().toString()).put("amount", amount.get()).put("reason", reason);
    Responses.respond(rc, 201, vertx.eventBus().<JsonObject>request(Addresses.CREDIT_GRANT, request).map(m -> m.body()));
  }

  /**
   * A JSON number that is a whole number from 1 to {@link CreditLedger#MAX_GRANT}, exactly: 1.9 and
   * 2^64 + 5,000,000 are refused, not truncated or wrapped.
   */
  static Optional<Long> wholeCredits(Object value) {
    if (!(value instanceof Number n)) {
      return Optional.empty();
    }
    try {
      BigDecimal d = new BigDecimal(n.toString()).stripTrailingZeros();
      if (d.scale() > 0 || d.compareTo(BigDecimal.ONE) < 0 || d.compareTo(BigDecimal.valueOf(CreditLedger.MAX_GRANT)) > 0) {
        return Optional.empty();
      }
      return Optional.of(d.longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      return Optional.empty();
    }
  }
}
