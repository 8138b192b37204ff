package ai.zmarty.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition that asynchronous work will make true, failing after a deadline. */
public final class Eventually {
  private Eventually() {}

  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
    if (!condition.getAsBoolean()) {
      throw new AssertionError("not true within " + timeout.toMillis() + " ms: " + what);
    }
  }

  /**
   * Polls {@code value} until {@code done} accepts what it gives, failing after {@code timeout};
   * returns the accepted value (for a condition that can only be seen by taking something, such as
   * reading a queue).
   */
  public static <T> T until(Duration timeout, String what, Supplier<T> value, Predicate<? super T> done) {
    AtomicReference<T> last = new AtomicReference<>();
    await(timeout, what, () -> {
      last.set(value.get());
      return done.test(last.get());
    });
    return last.get();
  }
}
