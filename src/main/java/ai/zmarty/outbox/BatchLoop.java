package ai.zmarty.outbox;

import io.vertx.core.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a batch now, or right after the one in progress, never two at once; runs again while a
 * batch says there may be more, or when woken during one. A failed batch is reported and left to
 * the caller's next wake (its poll timer). Single-threaded: used on its verticle's event loop.
 */
public final class BatchLoop {
  private final Supplier<Future<Boolean>> batch;
  private final Consumer<Throwable> failed;
  private boolean running;
  private boolean again;
  private volatile boolean stopping;

  /**
   * @param batch one batch; its result says whether to look again at once (a full batch, rows
   *     that may have unblocked others)
   * @param failed told of a failed batch, unless the loop is stopping
   */
  public BatchLoop(Supplier<Future<Boolean>> batch, Consumer<Throwable> failed) {
    this.batch = batch;
    this.failed = failed;
  }

  public void wake() {
    if (stopping) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    batch.get().onComplete(ar -> {
      running = false;
      if (ar.failed()) {
        if (!stopping) {
          failed.accept(ar.cause());
        }
      } else if (again || ar.result()) {
        wake();
      }
    });
  }

  /** No batch starts after this. */
  public void stop() {
    stopping = true;
  }
}
