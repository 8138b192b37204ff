package ai.zmarty.market;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side the exchange adapters share: one {@link WebClient} kept for the adapter's life, a
 * time limit on every request, and retries with exponential backoff on 429, 5xx, timeouts and
 * connection failures (a {@code Retry-After} header wins when it asks for longer). Other 4xx and
 * answers that do not parse are not retried: asking again would get the same answer.
 */
final class ExchangeHttp {
  private static final Logger log = LoggerFactory.getLogger(ExchangeHttp.class);

  /** The longest wait before a retry; a Retry-After beyond it fails the request instead. */
  static final long MAX_WAIT_MILLIS = 60_000;

  private final Vertx vertx;
  private final WebClient client;
  private final String exchange;
  private final ExchangeOptions options;

  ExchangeHttp(Vertx vertx, String exchange, ExchangeOptions options) {
    this.vertx = vertx;
    this.exchange = exchange;
    this.options = options;
    this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("zmarty-control-plane").setConnectTimeout((int) Math.max(1, options.timeout().toMillis())));
  }

  Future<Buffer> post(String path, JsonObject body) {
    return withRetries(path, () -> request(client.postAbs(options.baseUrl() + path)).sendJsonObject(body), 0);
  }

  Future<Buffer> get(String path, Function<HttpRequest<Buffer>, HttpRequest<Buffer>> query) {
    return withRetries(path, () -> query.apply(request(client.getAbs(options.baseUrl() + path))).send(), 0);
  }

  private HttpRequest<Buffer> request(HttpRequest<Buffer> r) {
    return r.timeout(options.timeout().toMillis()).putHeader("accept", "application/json");
  }

  private Future<Buffer> withRetries(String path, java.util.function.Supplier<Future<HttpResponse<Buffer>>> send, int attempt) {
    return send.get()
        .transform(ar -> {
          if (ar.succeeded()) {
            HttpResponse<Buffer> r = ar.result();
            int status = r.statusCode();
            if (status >= 200 && status < 300) {
              return Future.succeededFuture(r.body() == null ? Buffer.buffer() : r.body());
            }
            ExchangeException e = new ExchangeException(exchange, status, exchange + " " + path + " answered " + status + ": " + snippet(r.bodyAsString()));
            if (status != 429 && status < 500) {
              return Future.failedFuture(e);
            }
            return retry(path, send, attempt, e, r.getHeader("Retry-After"));
          }
          Throwable cause = ar.cause();
          ExchangeException e = new ExchangeException(exchange, 0, exchange + " " + path + " failed: " + cause.getClass().getSimpleName() + " " + cause.getMessage());
          return retry(path, send, attempt, e, null);
        });
  }

  private Future<Buffer> retry(String path, java.util.function.Supplier<Future<HttpResponse<Buffer>>> send, int attempt, ExchangeException e, String retryAfter) {
    if (attempt >= options.retries()) {
      return Future.failedFuture(e.withNote(" (gave up after " + (attempt + 1) + " attempts)"));
    }
    long wait = delayMillis(attempt, retryAfter, options.backoffBase().toMillis());
    if (wait > MAX_WAIT_MILLIS) {
      return Future.failedFuture(e.withNote(" (Retry-After " + retryAfter + " s is longer than we wait)"));
    }
    log.warn("{} retry {} of {} in {} ms: {}", exchange, attempt + 1, options.retries(), wait, e.getMessage());
    return vertx.timer(Math.max(1, wait)).compose(v -> withRetries(path, send, attempt + 1));
  }

  /**
   * The wait before retry {@code attempt + 1}: {@code base × 2^attempt}, or the {@code Retry-After}
   * seconds when that is longer. Pure.
   */
  static long delayMillis(int attempt, String retryAfter, long baseMillis) {
    long backoff = baseMillis * (1L << Math.min(attempt, 20));
    if (retryAfter != null) {
      try {
        long seconds = Long.parseLong(retryAfter.trim());
        if (seconds >= 0) {
          return Math.max(backoff, seconds * 1_000);
        }
      } catch (NumberFormatException ignored) {
        // an HTTP-date or garbage: fall back to our own backoff
      }
    }
    return Math.min(backoff, MAX_WAIT_MILLIS);
  }

  static String snippet(String body) {
    if (body == null) {
      return "(no body)";
    }
    String s = body.strip();
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
