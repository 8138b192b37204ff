package ai.zmarty.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * The log lines this JVM writes while a test runs (every logger, as logback formats the message),
 * so a test can wait for an event the code only logs — a circuit breaker turning half-open — instead
 * of sleeping until it has probably happened. Close it to stop capturing.
 */
public final class LogLines implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final AppenderBase<ILoggingEvent> appender =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          lines.add(event.getFormattedMessage());
        }
      };

  private LogLines() {
    appender.setName("test-log-lines");
    appender.setContext(root.getLoggerContext());
    appender.start();
    root.addAppender(appender);
  }

  /** Starts capturing. */
  public static LogLines capture() {
    return new LogLines();
  }

  /** How many captured lines contain every one of {@code parts}. */
  public long count(String... parts) {
    return lines.stream().filter(l -> List.of(parts).stream().allMatch(l::contains)).count();
  }

  /** Waits until {@code n} captured lines contain every one of {@code parts}, failing after {@code timeout}. */
  public void await(Duration timeout, long n, String... parts) {
    Eventually.await(timeout, n + " log line(s) with " + List.of(parts), () -> count(parts) >= n);
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
