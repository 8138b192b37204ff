package ai.zmarty.queue;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/** One row handed out by {@code pgmq.read}: a pgmq {@code message_record}. */
public record QueueMessage(long msgId, int readCount, OffsetDateTime enqueuedAt, OffsetDateTime vt, JsonObject message, JsonObject headers) {}
