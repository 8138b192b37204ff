package ai.zmarty.queue;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/** One row handed out by {@code pgmq.read}: a pgmq {@code message_record}. */
/** One message as read; {@code queueDepth}: the queue's depth when its batch was read. */
public record QueueMessage(long msgId, int readCount, OffsetDateTime enqueuedAt, OffsetDateTime vt, JsonObject message, JsonObject headers, long queueDepth) {}
