package ai.zmarty.sync;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox rows a relay claimed and is still sending. A stopping relay lets its sends finish for
 * a grace, then gives the rest back: due again at once, without an attempt counted, rather than
 * after the claim lapses; a send that ends after that records nothing (another node sends the row).
 */
final class Claims {
  private static final Logger log = LoggerFactory.getLogger(Claims.class);
  private final Set<Long> sending = ConcurrentHashMap.newKeySet();

  void sending(long id) {
    sending.add(id);
  }

  /** Ends a send; false when its row was given back meanwhile, so its outcome must not be recorded. */
  boolean settled(long id) {
    return sending.remove(id);
  }

  /** Waits up to {@code grace} for the sends in flight, then gives back the rows still being sent. */
  Future<Void> drain(Vertx vertx, Pool chat, Duration grace) {
    if (sending.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> idle = Promise.promise();
    long deadline = System.nanoTime() + grace.toNanos();
    long timer = vertx.setPeriodic(50, id -> {
      if (sending.isEmpty() || System.nanoTime() >= deadline) {
        idle.tryComplete();
      }
    });
    return idle.future().compose(v -> {
      vertx.cancelTimer(timer);
      Long[] left = sending.toArray(Long[]::new);
      sending.clear();
      if (left.length == 0) {
        return Future.succeededFuture();
      }
      return chat.preparedQuery(SyncSql.GIVE_BACK).execute(Tuple.of(left))
          .onSuccess(rows -> log.info("sync relay stopping: {} outbox row(s) still being sent given back, due again now", rows.rowCount()))
          .<Void>mapEmpty();
    });
  }
}
