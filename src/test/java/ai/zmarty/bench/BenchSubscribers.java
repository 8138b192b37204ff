package ai.zmarty.bench;

import ai.zmarty.testing.RawWebSocket;
import ai.zmarty.testing.TestJwt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code n} WebSocket subscribers on {@code /ws/decisions}, each a raw client on its own thread,
 * subscribed to everything. Every decision frame is kept as a {@link Receipt}: the event, the model,
 * the subscriber and the wall-clock time it was read (microseconds since the epoch, the host clock
 * PostgreSQL's {@code now()} also reads). The frame is not parsed as JSON: the two fields are cut
 * out of the text, so the readers cost the shared CPU as little as possible.
 */
final class BenchSubscribers implements AutoCloseable {
  /** One decision frame as one subscriber read it. */
  record Receipt(String eventId, String model, int subscriber, long atMicros) {}

  /** What a reader does with each text frame: the subscriber's index, the text, and when it was read (nanoTime, epoch µs). */
  interface Sink {
    void frame(int subscriber, String text, long nanos, long epochMicros);
  }

  final ConcurrentLinkedQueue<Receipt> receipts = new ConcurrentLinkedQueue<>();
  private final List<RawWebSocket> sockets = new ArrayList<>();
  private final Sink sink;

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
    CountDownLatch ready = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      RawWebSocket ws = RawWebSocket.connect(port, "/ws/decisions", Map.of("Authorization", "Bearer " + TestJwt.valid(UUID.randomUUID())));
      subs.sockets.add(ws);
      int index = i;
      Thread t = new Thread(() -> subs.read(ws, index, ready), "subscriber-" + i);
      t.setDaemon(true);
      t.start();
    }
    if (!ready.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("subscribers not ready within 60 s");
    }
    return subs;
  }

  private void read(RawWebSocket ws, int index, CountDownLatch ready) {
    try {
      ws.nextJson(Duration.ofSeconds(30)); // ready
      ws.sendText("{\"op\":\"subscribe\"}");
      ws.nextJson(Duration.ofSeconds(30)); // subscribed
      ready.countDown();
      while (true) {
        RawWebSocket.Frame f = ws.next(Duration.ofMinutes(10));
        if (f == null || f.opcode() == RawWebSocket.CLOSE) {
          return;
        }
        if (f.opcode() == RawWebSocket.PING) {
          ws.sendPong(f.payload());
        } else if (f.opcode() == RawWebSocket.TEXT) {
          long nanos = System.nanoTime();
          Instant now = Instant.now();
          long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
          String text = new String(f.payload(), StandardCharsets.UTF_8);
          if (sink != null) {
            sink.frame(index, text, nanos, micros);
          } else {
            receipts.add(new Receipt(field(text, "event_id"), field(text, "model"), index, micros));
          }
        }
      }
    } catch (Exception e) {
      // the socket closed at the end of the phase
    }
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
    for (RawWebSocket ws : sockets) {
      ws.close();
    }
  }
}
