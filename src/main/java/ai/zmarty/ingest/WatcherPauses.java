package ai.zmarty.ingest;

import ai.zmarty.queue.DeadLetterHook;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses a pair whose ingest keeps failing: each dead-lettered {@code ingest_indicators} job adds
 * one to its watchers' {@code dead_letters} (in the dead-letter transaction), a successful ingest
 * sets it back to 0, and at {@code WATCHER_PAUSE_AFTER} in a row the watchers get {@code paused_at}
 * and {@code pause_reason}, logged at WARN. The scheduler skips paused pairs; adding the pair again
 * resumes it (the sync receiver clears the pause).
 */
public final class WatcherPauses implements DeadLetterHook {
  private static final Logger log = LoggerFactory.getLogger(WatcherPauses.class);

  private final Pool pool;
  private final int pauseAfter;

  public WatcherPauses(Pool pool, int pauseAfter) {
    this.pool = pool;
    this.pauseAfter = pauseAfter;
  }

  @Override
  public Future<Void> deadLettered(SqlConnection conn, JsonObject payload, String error) {
    if (!(payload.getValue("symbol") instanceof String symbol) || !(payload.getValue("timeframe") instanceof String timeframe)) {
      return Future.succeededFuture(); // not a pair's job: nothing to pause
    }
    String reason = pauseAfter + " ingest jobs dead-lettered in a row; last error: " + error;
    return conn.preparedQuery(IngestSql.COUNT_DEAD_LETTER).execute(Tuple.of(symbol, timeframe, pauseAfter, reason)).map(rows -> {
      int paused = 0;
      int count = 0;
      for (Row r : rows) {
        count = Math.max(count, r.getInteger("dead_letters"));
        paused += r.getBoolean("paused_now") ? 1 : 0;
      }
      if (paused > 0) {
        log.warn("watcher paused symbol={} timeframe={} watchers={} dead_letters={} reason=\"{}\"", symbol, timeframe, paused, count, reason);
      }
      return null;
    });
  }

  /** After a successful ingest of the pair: its run of dead letters is over. */
  Future<Void> succeeded(String symbol, String timeframe) {
    return pool.preparedQuery(IngestSql.RESET_DEAD_LETTERS).execute(Tuple.of(symbol, timeframe)).mapEmpty();
  }
}
