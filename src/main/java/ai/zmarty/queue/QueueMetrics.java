package ai.zmarty.queue;

import io.vertx.core.json.JsonObject;

/** One queue's row of {@code pgmq.metrics_all()}. */
public record QueueMetrics(String queue, long length, long visibleLength, long totalMessages, Integer oldestMessageAgeSeconds) {
  public JsonObject toJson() {
    return new JsonObject()
        .put("queue", queue)
        .put("length", length)
        .put("visible_length", visibleLength)
        .put("total_messages", totalMessages)
        .put("oldest_msg_age_sec", oldestMessageAgeSeconds);
  }
}
