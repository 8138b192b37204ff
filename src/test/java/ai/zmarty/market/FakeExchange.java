package ai.zmarty.market;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.MultiMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for an exchange's HTTP API: answers requests in order from a script of recorded
 * payloads ({@code src/test/resources/market/…}), including errors and silence, and remembers
 * what it was asked.
 */
final class FakeExchange {
  /** What a request carried: path, query parameters and body. */
  record Seen(String path, MultiMap query, Buffer body, long atMillis) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  private final Deque<Handler<HttpServerRequest>> script = new ArrayDeque<>();
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  private HttpServer server;

  Future<FakeExchange> start(Vertx vertx) {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      seen.add(new Seen(req.path(), req.params(), body, System.currentTimeMillis()));
      Handler<HttpServerRequest> next;
      synchronized (script) {
        next = script.poll();
      }
      if (next == null) {
        req.response().setStatusCode(599).end("the fake exchange has no more answers scripted");
      } else {
        next.handle(req);
      }
    }));
    return server.listen(0, "127.0.0.1").map(s -> this);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Answers the next request with {@code status} and the recorded file. */
  FakeExchange thenReplay(int status, String resource, String... headers) {
    Buffer body = Buffer.buffer(recording(resource));
    synchronized (script) {
      script.add(req -> {
        var r = req.response().setStatusCode(status).putHeader("content-type", resource.endsWith(".json") ? "application/json" : "text/plain");
        for (int i = 0; i + 1 < headers.length; i += 2) {
          r.putHeader(headers[i], headers[i + 1]);
        }
        r.end(body);
      });
    }
    return this;
  }

  FakeExchange thenReplay(String resource) {
    return thenReplay(200, resource);
  }

  /** Answers the next request with a bare status and body. */
  FakeExchange thenStatus(int status, String body) {
    synchronized (script) {
      script.add(req -> req.response().setStatusCode(status).end(body));
    }
    return this;
  }

  /** Never answers the next request (the client's timeout must fire). */
  FakeExchange thenSilence() {
    synchronized (script) {
      script.add(req -> {});
    }
    return this;
  }

  static byte[] recording(String resource) {
    try (InputStream in = FakeExchange.class.getClassLoader().getResourceAsStream("market/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no recording market/" + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
