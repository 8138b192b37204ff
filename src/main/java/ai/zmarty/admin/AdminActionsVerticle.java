package ai.zmarty.admin;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.bus.Replies;
import ai.zmarty.queue.QueueAdmin;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators' actions from the dashboard ({@code admin.actions.*}, through the event-bus bridge,
 * which sets the {@code operator} header): retry one dead letter or a group (back into the queue
 * it came from), discard a group (into the dead-letter queue's archive), run a cron job now
 * ({@code ops.cron.run}), pause or resume a queue (every poller honours it). Each replies
 * {@code {ok: true, action, …}} or fails with an {@link ErrorCode}, is logged with the operator's
 * identity, and makes the feed publish at once.
 */
public final class AdminActionsVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(AdminActionsVerticle.class);
  private final QueueAdmin queues;

  public AdminActionsVerticle(QueueAdmin queues) {
    this.queues = queues;
  }

  @Override
  public Future<?> start() {
    return Future.join(List.of(
        on(Addresses.ADMIN_DLQ_RETRY, (body, who) -> queues.redrive(List.of(letterId(body))).map(moved -> {
          if (moved.isEmpty()) {
            throw ErrorCode.NOT_FOUND.exception("no dead letter " + body.getValue("id") + " (already retried or discarded?)");
          }
          return new JsonObject().put("moved", new JsonArray(moved));
        })),
        on(Addresses.ADMIN_DLQ_RETRY_GROUP, (body, who) -> queues.redriveGroup(text(body, "queue"), text(body, "error")).map(moved -> new JsonObject().put("moved", new JsonArray(moved)).put("count", moved.size()))),
        on(Addresses.ADMIN_DLQ_DISCARD_GROUP, (body, who) -> queues.discardGroup(text(body, "queue"), text(body, "error")).map(n -> new JsonObject().put("discarded", n))),
        on(Addresses.ADMIN_CRON_RUN, (body, who) -> vertx.eventBus().<JsonObject>request(Addresses.OPS_CRON_RUN, new JsonObject().put("job", text(body, "job"))).map(m -> m.body())),
        on(Addresses.ADMIN_QUEUE_PAUSE, (body, who) -> control(text(body, "queue"), true, who)),
        on(Addresses.ADMIN_QUEUE_RESUME, (body, who) -> control(text(body, "queue"), false, who))).stream().map(c -> c.completion()).toList());
  }

  /** A consumer that validates, runs, logs with the operator and replies. */
  private io.vertx.core.eventbus.MessageConsumer<Object> on(String address, BiFunction<JsonObject, String, Future<JsonObject>> action) {
    return vertx.eventBus().consumer(address, (Message<Object> msg) -> {
      String who = msg.headers().get("operator");
      String name = address.substring(Addresses.ADMIN_ACTIONS_PREFIX.length());
      Future<JsonObject> outcome;
      try {
        if (who == null) {
          throw ErrorCode.FORBIDDEN.exception("actions come through the event-bus bridge, which names the operator");
        }
        if (!(msg.body() instanceof JsonObject body)) {
          throw ErrorCode.BAD_REQUEST.exception("the body must be a JSON object");
        }
        outcome = action.apply(body, who);
      } catch (RuntimeException e) {
        outcome = Future.failedFuture(e);
      }
      Replies.reply(msg, outcome.map(result -> new JsonObject().put("ok", true).put("action", name).mergeIn(result))
          .onComplete(ar -> {
            if (ar.succeeded()) {
              log.info("admin action={} operator={} body={} result={}", name, who, msg.body(), ar.result().encode());
              vertx.eventBus().publish(Addresses.OPS_ADMIN_REFRESH, new JsonObject());
            } else {
              log.warn("admin action={} operator={} body={} refused: {}", name, who, msg.body(), ar.cause().getMessage());
            }
          }));
    });
  }

  private Future<JsonObject> control(String queue, boolean pause, String who) {
    return queues.exists(queue).compose(exists -> {
      if (!exists) {
        return Future.failedFuture(ErrorCode.NOT_FOUND.exception("no queue named '" + queue + "'"));
      }
      Future<Boolean> done = pause ? queues.pause(queue, who).map(true) : queues.resume(queue);
      return done.map(changed -> {
        vertx.eventBus().publish(Addresses.QUEUE_CONTROL, new JsonObject().put("queue", queue).put("paused", pause));
        return new JsonObject().put("queue", queue).put("paused", pause).put("changed", changed);
      });
    });
  }

  private static long letterId(JsonObject body) {
    if (!(body.getValue("id") instanceof Number n) || n.longValue() <= 0 || n.doubleValue() != n.longValue()) {
      throw ErrorCode.BAD_REQUEST.exception("id must be the dead letter's message id (a positive whole number)");
    }
    return n.longValue();
  }

  private static String text(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String s) || s.isBlank() || s.length() > 10_000) {
      throw ErrorCode.BAD_REQUEST.exception(field + " is required (a non-empty string)");
    }
    return s;
  }
}
