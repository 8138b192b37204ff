package ai.zmarty.queue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Archives finished messages in batches without waiting for a batch to fill: the first id of a
 * queue goes out at once, and the ids that finish while that statement runs go together in the
 * next one (one statement in flight per queue). Under load a statement archives many messages;
 * when idle, each message is archived as soon as it is done, so no latency is added. Each caller's
 * future completes when its own message's statement did: a message counts as archived only after
 * its statement succeeded, and a failed statement fails every message in it (they come back after
 * their visibility timeout, as a single failed archive would). Not thread-safe: used on the
 * poller's event loop.
 */
final class ArchiveBatcher {
  /** Runs one archive statement for a queue's ids. */
  private final BiFunction<String, List<Long>, Future<?>> archive;
  private final int maxBatch;
  private final Map<String, List<Waiting>> pending = new HashMap<>();
  private final Map<String, Boolean> running = new HashMap<>();

  private record Waiting(long msgId, Promise<Void> done) {}

  ArchiveBatcher(BiFunction<String, List<Long>, Future<?>> archive, int maxBatch) {
    this.archive = archive;
    this.maxBatch = Math.max(1, maxBatch);
  }

  /** Archives {@code msgId} of {@code queue}, with whatever else finishes meanwhile. */
  Future<Void> archive(String queue, long msgId) {
    Promise<Void> done = Promise.promise();
    pending.computeIfAbsent(queue, q -> new ArrayList<>()).add(new Waiting(msgId, done));
    if (!running.getOrDefault(queue, false)) {
      flush(queue);
    }
    return done.future();
  }

  private void flush(String queue) {
    List<Waiting> all = pending.getOrDefault(queue, List.of());
    if (all.isEmpty()) {
      running.put(queue, false);
      return;
    }
    List<Waiting> batch = new ArrayList<>(all.subList(0, Math.min(maxBatch, all.size())));
    all.subList(0, batch.size()).clear();
    running.put(queue, true);
    Future<?> statement;
    try {
      statement = archive.apply(queue, batch.stream().map(Waiting::msgId).toList());
    } catch (RuntimeException e) {
      statement = Future.failedFuture(e);
    }
    statement.onComplete(ar -> {
      for (Waiting w : batch) {
        if (ar.succeeded()) {
          w.done().complete();
        } else {
          w.done().fail(ar.cause());
        }
      }
      flush(queue);
    });
  }
}
