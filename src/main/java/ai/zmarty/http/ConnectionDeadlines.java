package ai.zmarty.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadline for reading a request (HTTP_REQUEST_TIMEOUT): a client has that long to send a
 * whole request, headers and body, counted from when its connection opened or its previous answer
 * ended. Past it a request that had begun gets 408 and the connection is closed, so half-sent
 * headers (slowloris) and bodies that never finish do not hold connections open. The clock stops
 * while an answer is being produced and streamed: a long SSE answer is bounded by the idle timeout
 * only. All calls come from the HTTP server's event loop.
 */
final class ConnectionDeadlines {
  private static final Logger log = LoggerFactory.getLogger(ConnectionDeadlines.class);

  private final Vertx vertx;
  private final long timeoutMs;
  private final Map<HttpConnection, State> open = new HashMap<>();

  private static final class State {
    long timer = -1;
    HttpServerRequest request;
    boolean read;
    boolean answered;
  }

  ConnectionDeadlines(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeoutMs = timeout.toMillis();
  }

  /** Server connection handler: the first request's clock starts now. */
  void opened(HttpConnection conn) {
    State s = new State();
    open.put(conn, s);
    conn.closeHandler(v -> {
      State closed = open.remove(conn);
      if (closed != null) {
        cancel(closed);
      }
    });
    // resets and broken pipes are the client's doing: no stack trace
    conn.exceptionHandler(err -> log.info("connection from {}: {}", conn.remoteAddress(), err.toString()));
    arm(conn, s);
  }

  /** A request's headers arrived: its body must follow within the same deadline. */
  void begin(HttpServerRequest req) {
    HttpConnection conn = req.connection();
    State s = open.get(conn);
    if (s == null) {
      return;
    }
    s.request = req;
    s.read = false;
    s.answered = false;
    if (s.timer < 0) {
      arm(conn, s);
    }
    req.end().onComplete(ar -> {
      if (s.request == req) {
        s.read = true;
        if (s.answered) {
          next(conn, s);
        } else {
          cancel(s);
        }
      }
    });
  }

  /**
   * The answer to the connection's current request ended (or failed): the clock for the next
   * request starts once this one is read. (HTTP/1.1 answers in order: the next request begins only
   * after this answer ended.)
   */
  void answered(HttpConnection conn) {
    State s = open.get(conn);
    if (s == null || s.request == null) {
      return;
    }
    s.answered = true;
    if (s.read) {
      next(conn, s);
    }
  }

  private void next(HttpConnection conn, State s) {
    s.request = null;
    cancel(s);
    arm(conn, s);
  }

  private void arm(HttpConnection conn, State s) {
    s.timer = vertx.setTimer(timeoutMs, id -> expire(conn, s));
  }

  private void cancel(State s) {
    if (s.timer >= 0) {
      vertx.cancelTimer(s.timer);
      s.timer = -1;
    }
  }

  private void expire(HttpConnection conn, State s) {
    s.timer = -1;
    HttpServerRequest req = s.request;
    log.info("closing connection from {}: no whole request within {} ms{}", conn.remoteAddress(), timeoutMs, req == null ? "" : " (" + req.method() + " " + req.path() + " unfinished)");
    if (req != null) {
      Errors.send(req.response(), 408, "the request was not received within " + timeoutMs + " ms");
    }
    conn.close();
  }
}
