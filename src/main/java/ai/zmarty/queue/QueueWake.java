package ai.zmarty.queue;

import ai.zmarty.bus.Addresses;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Tells every poller of a queue, on every node, that a message was just sent to it ({@code
 * queue.wake}, body {@code {queue}}), so one that found the queue empty reads now instead of at its
 * next idle poll: a quiet pipeline's stages follow each other in milliseconds, not up to {@code
 * QUEUE_IDLE_POLL} each. Publish it after the sending transaction commits; a lost wake costs only
 * that wait.
 */
public final class QueueWake {
  private QueueWake() {}

  public static void publish(EventBus bus, String queue) {
    bus.publish(Addresses.QUEUE_WAKE, new JsonObject().put("queue", queue));
  }

  /** The queue a wake names; null for a body that names none. */
  static String queueOf(Object body) {
    return body instanceof JsonObject o && o.getValue("queue") instanceof String q ? q : null;
  }
}
