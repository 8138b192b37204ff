package ai.zmarty.metrics;

import ai.zmarty.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} on {@code METRICS_PORT} for a node without the api role (an api node serves
 * it beside the API, through {@link #handler}), and {@code GET /healthz} there too, so a worker has a
 * liveness probe (container HEALTHCHECK, Kubernetes) without an API port. Unauthenticated: it
 * belongs on a private network.
 */
public final class MetricsServerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MetricsServerVerticle.class);
  /** The Prometheus text exposition format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Metrics metrics;
  private final String host;
  private final int port;
  private HttpServer server;

  public MetricsServerVerticle(Metrics metrics, String host, int port) {
    this.metrics = metrics;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer().requestHandler(this::handle).listen(port, host).onSuccess(s -> {
      server = s;
      log.info("metrics listening on {}:{}/metrics", host, s.actualPort());
    });
  }

  /** The port actually bound. */
  public int port() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    if (request.method() == HttpMethod.GET && request.path().equals("/healthz")) {
      request.response().putHeader("content-type", "application/json").end(new JsonObject().put("status", "ok").encode());
    } else if (!request.path().equals("/metrics") || request.method() != HttpMethod.GET) {
      error(request.response(), ErrorCode.NOT_FOUND, "no route for " + request.method() + " " + request.path() + " (this port serves GET /metrics and GET /healthz only)");
    } else {
      handler(vertx, metrics).handle(request);
    }
  }

  /** Answers a request with the scrape (500 JSON when it fails). */
  public static Handler<HttpServerRequest> handler(Vertx vertx, Metrics metrics) {
    return request -> metrics.scrape(vertx)
        .onSuccess(text -> request.response().putHeader("content-type", CONTENT_TYPE).end(text))
        .onFailure(err -> {
          log.error("scraping metrics failed: {}", err.toString());
          error(request.response(), ErrorCode.INTERNAL, "metrics could not be collected");
        });
  }

  private static void error(HttpServerResponse response, ErrorCode code, String message) {
    response.setStatusCode(code.httpStatus()).putHeader("content-type", "application/json").end(new JsonObject().put("error", code.wire()).put("message", message).encode());
  }
}
