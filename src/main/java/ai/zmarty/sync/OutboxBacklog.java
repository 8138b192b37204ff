package ai.zmarty.sync;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/** How many outbox rows in A still wait for delivery (for {@code zmarty_sync_outbox_pending}). */
public final class OutboxBacklog {
  private final Pool chat;

  public OutboxBacklog(Pool chat) {
    this.chat = chat;
  }

  public Future<Long> pending() {
    return chat.query(SyncSql.COUNT_PENDING).execute().map(rows -> rows.iterator().next().getLong("pending"));
  }
}
