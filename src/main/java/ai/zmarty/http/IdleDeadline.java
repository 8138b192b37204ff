package ai.zmarty.http;

import io.vertx.core.Vertx;

/**
 * Fires once when nothing happened for {@code ms}: {@link #touch} moves the deadline, and the one
 * timer re-arms itself for what is left, so an event costs no timer churn.
 */
final class IdleDeadline {
  private final Vertx vertx;
  private final long ms;
  private final Runnable onIdle;
  private long timer = -1;
  private long lastAt;
  private boolean stopped;

  IdleDeadline(Vertx vertx, long ms, Runnable onIdle) {
    this.vertx = vertx;
    this.ms = ms;
    this.onIdle = onIdle;
  }

  void touch() {
    lastAt = System.nanoTime();
    if (timer < 0 && !stopped) {
      arm(ms);
    }
  }

  private void arm(long wait) {
    timer = vertx.setTimer(wait, id -> {
      timer = -1;
      long quietMs = (System.nanoTime() - lastAt) / 1_000_000;
      if (quietMs >= ms) {
        onIdle.run();
      } else if (!stopped) {
        arm(ms - quietMs);
      }
    });
  }

  void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
