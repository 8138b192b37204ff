package ai.zmarty.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * What a queue's owner does when one of its messages is dead-lettered, inside the transaction that
 * moves it: the message is in the dead-letter queue if and only if this ran (a failure rolls both
 * back, and the message is read again later).
 */
@FunctionalInterface
public interface DeadLetterHook {
  Future<Void> deadLettered(SqlConnection conn, JsonObject payload, String error);
}
