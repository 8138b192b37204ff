package ai.zmarty.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * Writes one chat answer as Server-Sent Events: the headers, a first comment naming the request,
 * heartbeat comments, {@code event: token} frames (built without a JsonObject per token) and the
 * closing event, after which the chunked response ends. The headers and the first comment go out
 * with the first frame after them, in one write ({@link #flush} sends them alone).
 */
final class SseWriter {
  private static final long HEARTBEAT_MS = 15_000;

  private final Vertx vertx;
  private final HttpServerResponse response;
  private long heartbeat = -1;
  private String unsent; // the first comment, until a frame or flush takes it along

  SseWriter(Vertx vertx, HttpServerResponse response) {
    this.vertx = vertx;
    this.response = response;
  }

  /** Headers, the first comment and the heartbeat; written with the next frame, or by {@link #flush}. */
  void open(String requestId) {
    headers().putHeader("x-request-id", requestId);
    unsent = ": zmarty " + requestId + "\n\n";
    heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> write(": keep-alive\n\n"));
  }

  void token(String text) {
    write("event: token\ndata: {\"text\":" + Json.encode(text) + "}\n\n");
  }

  /** What {@link #open} left unsent goes out now. */
  void flush() {
    if (unsent != null) {
      write("");
    }
  }

  private void write(String frame) {
    response.write(withUnsent(frame));
  }

  /** {@code frame}, after what {@link #open} left unsent (once). */
  private String withUnsent(String frame) {
    String all = unsent == null ? frame : unsent + frame;
    unsent = null;
    return all;
  }

  /** The closing event, then the end of the chunked response. */
  void end(String event, JsonObject data) {
    stop();
    if (!response.headWritten()) {
      headers();
    }
    if (!response.ended() && !response.closed()) {
      response.end(withUnsent("event: " + event + "\ndata: " + data.encode() + "\n\n"));
    }
  }

  /** A stored answer replayed: its text as one token event, then its closing event. */
  void replay(String text, String event, JsonObject data) {
    headers();
    if (text != null && !text.isEmpty()) {
      token(text);
    }
    end(event, data);
  }

  void stop() {
    if (heartbeat >= 0) {
      vertx.cancelTimer(heartbeat);
      heartbeat = -1;
    }
  }

  private HttpServerResponse headers() {
    return response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
  }
}
