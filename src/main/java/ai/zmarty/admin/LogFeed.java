package ai.zmarty.admin;

import ai.zmarty.bus.Addresses;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.slf4j.LoggerFactory;

/**
 * A logback appender that publishes this node's WARN and ERROR events on {@code ops.log.events}
 * ({@code {node, level, logger, message, at}}; no stack traces, messages cut at
 * {@link #MAX_CHARS}), for the dashboard's recent errors. Guarded against recursion (an event
 * logged while publishing one is not published) and bursts (at most {@link #PER_SECOND} a second;
 * the rest are counted and announced as one event when the next second starts).
 */
public final class LogFeed extends AppenderBase<ILoggingEvent> {
  static final int PER_SECOND = 20;
  static final int MAX_CHARS = 1000;

  private final Vertx vertx;
  private final String node;
  private final ThreadLocal<Boolean> publishing = ThreadLocal.withInitial(() -> false);
  private long second;
  private int sent;
  private long dropped;

  private LogFeed(Vertx vertx, String node) {
    this.vertx = vertx;
    this.node = node;
  }

  /** Attaches a feed for {@code node} to the root logger (when logback is the logging back end); the returned action detaches it. */
  public static Runnable attach(Vertx vertx, String node) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return () -> {};
    }
    LogFeed feed = new LogFeed(vertx, node);
    feed.setContext(context);
    feed.setName("admin-log-feed-" + node);
    feed.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(feed);
    return () -> {
      root.detachAppender(feed);
      feed.stop();
    };
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (!event.getLevel().isGreaterOrEqual(Level.WARN) || publishing.get()) {
      return;
    }
    long dropsToAnnounce;
    synchronized (this) {
      long now = event.getTimeStamp() / 1000;
      dropsToAnnounce = 0;
      if (now != second) {
        second = now;
        sent = 0;
        dropsToAnnounce = dropped;
        dropped = 0;
      }
      if (sent >= PER_SECOND) {
        dropped++;
        return;
      }
      sent++;
    }
    if (dropsToAnnounce > 0) {
      publish(new JsonObject().put("node", node).put("level", "WARN").put("logger", LogFeed.class.getName())
          .put("message", dropsToAnnounce + " WARN/ERROR events not shown (more than " + PER_SECOND + " a second)").put("at", Instant.now().toString()));
    }
    publish(json(event, node));
  }

  static JsonObject json(ILoggingEvent event, String node) {
    String message = event.getFormattedMessage();
    IThrowableProxy t = event.getThrowableProxy();
    if (t != null) {
      message = message + " (" + t.getClassName() + (t.getMessage() == null ? "" : ": " + t.getMessage()) + ")";
    }
    if (message != null && message.length() > MAX_CHARS) {
      message = message.substring(0, MAX_CHARS) + "…";
    }
    return new JsonObject().put("node", node).put("level", event.getLevel().toString()).put("logger", event.getLoggerName())
        .put("message", message).put("at", Instant.ofEpochMilli(event.getTimeStamp()).toString());
  }

  private void publish(JsonObject body) {
    publishing.set(true);
    try {
      vertx.eventBus().publish(Addresses.OPS_LOG_EVENTS, body);
    } catch (RuntimeException closed) {
      // the node is shutting down: nothing to publish to
    } finally {
      publishing.set(false);
    }
  }
}
