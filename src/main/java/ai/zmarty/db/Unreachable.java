package ai.zmarty.db;

import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;

/**
 * Whether a failure means the database could not be reached (down, restarting, connection lost)
 * rather than that a statement failed: the caller answers 503 with {@code Retry-After} and tries
 * again later instead of reporting an internal error.
 */
public final class Unreachable {
  /** Seconds a client is told to wait before retrying while a database is away. */
  public static final int RETRY_AFTER_SECONDS = 5;

  private Unreachable() {}

  public static boolean is(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof ClosedChannelException || t instanceof io.netty.channel.ConnectTimeoutException) {
        return true;
      }
      if (t instanceof PgException pg && pg.getSqlState() != null) {
        String state = pg.getSqlState();
        // 08: connection exceptions; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
          return true;
        }
      }
      String message = String.valueOf(t.getMessage());
      if (t instanceof io.vertx.core.VertxException && (message.contains("Connection is closed") || message.contains("Connection refused") || message.contains("Pool closed"))) {
        return true;
      }
    }
    return false;
  }
}
