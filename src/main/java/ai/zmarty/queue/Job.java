package ai.zmarty.queue;

import io.vertx.core.json.JsonObject;

/**
 * The body the poller sends to {@code jobs.<queue>}: the queued payload plus where it came from
 * (and the queue's depth when it was read),
 * so a handler can log it and tell a first delivery from a redelivery.
 */
public record Job(String queue, long msgId, int readCount, String enqueuedAt, JsonObject payload, long queueDepth) {

  /** A job that did not come through the poller: its queue depth is unknown (-1). */
  public Job(String queue, long msgId, int readCount, String enqueuedAt, JsonObject payload) {
    this(queue, msgId, readCount, enqueuedAt, payload, -1);
  }

  public static Job of(String queue, QueueMessage m) {
    return new Job(queue, m.msgId(), m.readCount(), m.enqueuedAt().toString(), m.message(), m.queueDepth());
  }

  public JsonObject toJson() {
    return new JsonObject().put("queue", queue).put("msg_id", msgId).put("read_ct", readCount).put("enqueued_at", enqueuedAt).put("payload", payload).put("queue_depth", queueDepth);
  }

  /**
   * The payload of a job body, for consumers that need nothing else from it.
   *
   * @throws IllegalArgumentException when the body is not a job with an object payload
   */
  public static JsonObject payloadOf(Object body) {
    if (body instanceof JsonObject json && json.getValue("payload") instanceof JsonObject payload) {
      return payload;
    }
    throw new IllegalArgumentException("body must be a queue job {queue, msg_id, read_ct, enqueued_at, payload: {…}}");
  }

  public static Job fromJson(JsonObject json) {
    return new Job(json.getString("queue"), json.getLong("msg_id"), json.getInteger("read_ct"), json.getString("enqueued_at"), json.getJsonObject("payload", new JsonObject()), json.getLong("queue_depth", -1L));
  }
}
