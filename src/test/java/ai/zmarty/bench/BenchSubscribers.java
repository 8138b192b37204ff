package ai.zmarty.bench;

import ai.zmarty.testing.TestJwt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code n} WebSocket subscribers on {@code /ws/decisions}, subscribed to everything, all read by
 * one Vert.x event loop of their own (one thread for every socket: a decision's 100 copies are read
 * in one wake-up, not 100 threads' worth of context switches on the machine the node shares).
 * Every decision frame is kept as a {@link Receipt}: the event, the model, the subscriber and the
 * wall-clock time it was read (microseconds since the epoch, the host clock PostgreSQL's {@code
 * now()} also reads). The frame is not parsed as JSON: the two fields are cut out of the text, so
 * the reader costs the shared CPU as little as possible.
 */
final class BenchSubscribers implements AutoCloseable {
  /** One decision frame as one subscriber read it. */
  record Receipt(String eventId, String model, int subscriber, long atMicros) {}

  /** What the reader does with each text frame: the subscriber's index, the text, and when it was read (nanoTime, epoch µs). */
  interface Sink {
    void frame(int subscriber, String text, long nanos, long epochMicros);
  }

  final ConcurrentLinkedQueue<Receipt> receipts = new ConcurrentLinkedQueue<>();
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
  private final List<WebSocket> sockets = new ArrayList<>();
  private final Sink sink;
  private volatile boolean closing;
  private WebSocketClient client;

  private BenchSubscribers(Sink sink) {
    this.sink = sink;
  }

  /** Subscribers that keep every decision frame as a {@link Receipt}. */
  static BenchSubscribers open(int port, int n) throws Exception {
    return open(port, n, null);
  }

  /** Subscribers that hand every text frame to {@code sink} (null: keep {@link Receipt}s). */
  static BenchSubscribers open(int port, int n, Sink sink) throws Exception {
    BenchSubscribers subs = new BenchSubscribers(sink);
    // kept in a field: Vert.x closes a client that becomes unreachable (its cleaner), sockets and all
    WebSocketClient client = subs.client = subs.vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(n + 10));
    List<Future<WebSocket>> ready = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ready.add(subs.subscribe(client, port, i));
    }
    Future.all(ready).await(60, TimeUnit.SECONDS);
    ready.forEach(f -> subs.sockets.add(f.result()));
    // an unsolicited pong every 10 s (RFC 6455 allows one as a heartbeat): the node hears from each
    // subscriber as it would from a browser answering its pings, whatever the client does with pings
    subs.vertx.setPeriodic(10_000, id -> subs.sockets.forEach(ws -> {
      if (!ws.isClosed()) {
        ws.writePong(io.vertx.core.buffer.Buffer.buffer("bench"));
      }
    }));
    return subs;
  }

  /** Connects, waits for {@code ready}, subscribes to everything and waits for the acknowledgement. */
  private Future<WebSocket> subscribe(WebSocketClient client, int port, int index) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws/decisions")
        .addHeader("Authorization", "Bearer " + TestJwt.valid(UUID.randomUUID()));
    return client.connect(options).compose(ws -> {
      io.vertx.core.Promise<WebSocket> subscribed = io.vertx.core.Promise.promise();
      int[] seen = {0};
      ws.textMessageHandler(text -> {
        if (seen[0] < 2) { // "ready", then the subscription's acknowledgement
          if (++seen[0] == 1) {
            ws.writeTextMessage("{\"op\":\"subscribe\"}");
          } else {
            subscribed.tryComplete(ws);
          }
          return;
        }
        long nanos = System.nanoTime();
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        if (sink != null) {
          sink.frame(index, text, nanos, micros);
        } else {
          receipts.add(new Receipt(field(text, "event_id"), field(text, "model"), index, micros));
        }
      });
      ws.closeHandler(v -> {
        if (!subscribed.tryFail("subscriber " + index + " closed before it was subscribed") && !closing) {
          System.err.printf("subscriber %d closed by the server: %s %s%n", index, ws.closeStatusCode(), ws.closeReason());
        }
      });
      return subscribed.future();
    });
  }

  /** The string value of {@code "name":"…"} in a compact JSON text (Vert.x encodes without spaces). */
  static String field(String text, String name) {
    String key = "\"" + name + "\":\"";
    int from = text.indexOf(key);
    if (from < 0) {
      return "";
    }
    from += key.length();
    return text.substring(from, text.indexOf('"', from));
  }

  @Override
  public void close() throws Exception {
    closing = true;
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
