package ai.zmarty.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A model provider on localhost that replays recorded wire shapes from
 * {@code src/test/resources/providers/<name>/}: an SSE stream event by event (each its own chunk,
 * a few milliseconds apart), a stream cut by closing the connection, an error status with its JSON
 * body and headers, or silence.
 */
public final class FakeProvider {
  /** What to answer to one request. */
  public record Reply(int status, Map<String, String> headers, List<String> chunks, boolean cut, boolean silent, boolean stall) {
    Reply(int status, Map<String, String> headers, List<String> chunks, boolean cut, boolean silent) {
      this(status, headers, chunks, cut, silent, false);
    }
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final Deque<Reply> queue = new ConcurrentLinkedDeque<>();
  private volatile Reply fallback;
  private volatile long latencyMinMs;
  private volatile long latencyMaxMs;
  public final List<Recorded> requests = new CopyOnWriteArrayList<>();

  /** A request as the fake saw it. */
  public record Recorded(String path, MultiMap headers, JsonObject body) {}

  private FakeProvider(Vertx vertx) {
    this.vertx = vertx;
    this.server = vertx.createHttpServer().requestHandler(this::handle);
  }

  public static FakeProvider start(Vertx vertx) {
    FakeProvider f = new FakeProvider(vertx);
    f.server.listen(0, "127.0.0.1").await();
    return f;
  }

  public String baseUrl(String suffix) {
    return "http://127.0.0.1:" + server.actualPort() + suffix;
  }

  /** The next request gets {@code r}; after the queue, the {@link #always} reply. */
  public FakeProvider then(Reply r) {
    queue.add(r);
    return this;
  }

  public FakeProvider always(Reply r) {
    fallback = r;
    return this;
  }

  /**
   * Each answer starts after a delay drawn uniformly from [{@code min}, {@code max}] per request (a
   * model thinking), instead of at once; the answer itself is unchanged.
   */
  public FakeProvider latency(java.time.Duration min, java.time.Duration max) {
    latencyMinMs = min.toMillis();
    latencyMaxMs = max.toMillis();
    return this;
  }

  public Future<Void> close() {
    return server.close();
  }

  public static Reply sse(String resource) {
    return new Reply(200, Map.of("content-type", "text/event-stream"), events(resource), false, false);
  }

  /** The stream's events, then the connection closes without ending the response. */
  public static Reply cut(String resource) {
    return new Reply(200, Map.of("content-type", "text/event-stream"), events(resource), true, false);
  }

  public static Reply error(int status, String resource, Map<String, String> headers) {
    Map<String, String> h = new java.util.HashMap<>(headers);
    h.put("content-type", "application/json");
    return new Reply(status, h, List.of(read(resource)), false, false);
  }

  /** The stream's events, then silence with the connection open. */
  public static Reply stall(String resource) {
    return new Reply(200, Map.of("content-type", "text/event-stream"), events(resource), false, false, true);
  }

  public static Reply silent() {
    return new Reply(200, Map.of(), List.of(), false, true);
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      JsonObject json;
      try {
        json = body.toJsonObject();
      } catch (RuntimeException e) {
        json = new JsonObject();
      }
      requests.add(new Recorded(req.uri(), req.headers(), json));
      Reply r = queue.poll();
      if (r == null) {
        r = fallback;
      }
      if (r == null || r.silent()) {
        return; // never answers
      }
      Reply chosen = r;
      long delay = latencyMaxMs <= 0 ? 0 : latencyMinMs + java.util.concurrent.ThreadLocalRandom.current().nextLong(latencyMaxMs - latencyMinMs + 1);
      if (delay > 0) {
        vertx.setTimer(delay, t -> answer(req, chosen));
      } else {
        answer(req, chosen);
      }
    });
  }

  private void answer(HttpServerRequest req, Reply r) {
    var resp = req.response().setStatusCode(r.status());
    r.headers().forEach(resp::putHeader);
    if (r.status() != 200) {
      resp.end(String.join("", r.chunks()));
      return;
    }
    resp.setChunked(true);
    write(req, r, 0);
  }

  private void write(HttpServerRequest req, Reply r, int i) {
    if (i >= r.chunks().size()) {
      if (r.stall()) {
        return;
      }
      if (r.cut()) {
        req.connection().close();
      } else {
        req.response().end();
      }
      return;
    }
    req.response().write(r.chunks().get(i));
    vertx.setTimer(3, t -> write(req, r, i + 1));
  }

  /** A recording split into its events, each keeping its blank-line terminator. */
  static List<String> events(String resource) {
    String text = read(resource).replace("\r\n", "\n");
    List<String> out = new ArrayList<>();
    for (String block : text.split("\n\n")) {
      if (!block.isBlank()) {
        out.add(block.strip() + "\n\n");
      }
    }
    return out;
  }

  public static String read(String resource) {
    try (InputStream in = FakeProvider.class.getClassLoader().getResourceAsStream("providers/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no recording providers/" + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
