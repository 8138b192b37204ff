package ai.zmarty.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.MetricsConfig;
import ai.zmarty.testing.Scrape;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event-bus and HTTP-server series our own meters report ({@link EventBusMeters}, {@link
 * HttpServerMeters}) are exactly those vertx-micrometer-metrics reports: the same traffic through a
 * Vert.x built by {@link Metrics#vertxBuilder} and through one on Vert.x's own implementation, with
 * the same options, gives the same series (names and labels) with the same counts and sizes (ours
 * also makes up front, at 0, the few series Vert.x makes on first use).
 * Timings (sums, maxima, histogram buckets of response times) differ run to run and are compared by
 * their series only.
 */
class VertxSeriesParityTest {
  private final List<Vertx> started = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (Vertx v : started) {
      v.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void eventBusAndHttpServerSeriesMatchVertxOwn() throws Exception {
    Metrics ours = Metrics.create(new MetricsConfig(true, 0));
    Vertx oursVertx = track(ours.vertxBuilder(new VertxOptions()).build());

    PrometheusMeterRegistry reference = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    reference.config().meterFilter(Buckets.vertxHttp());
    // a registry name of its own: Vert.x keeps one backend per name, JVM-wide
    Vertx referenceVertx = track(Vertx.builder().with(new VertxOptions().setMetricsOptions(Metrics.vertxMetricsOptions().setRegistryName("parity-reference")))
        .withMetrics(new MicrometerMetricsFactory(reference)).build());

    traffic(oursVertx);
    traffic(referenceVertx);

    Map<String, Double> mine = series(((PrometheusMeterRegistry) ours.registry()).scrape());
    Map<String, Double> theirs = series(reference.scrape());
    // every series Vert.x's implementation reports, ours reports; ours also makes at start the
    // series Vert.x makes on first use (remote side, reply failure kinds, …), reading 0 until then
    assertThat(mine.keySet()).containsAll(theirs.keySet());
    mine.keySet().stream().filter(k -> !theirs.containsKey(k)).forEach(k -> assertThat(mine.get(k)).as(k).isZero());
    assertThat(mine.keySet()).anyMatch(k -> k.startsWith("vertx_http_server_requests_total{code=404,method=GET,route=}"))
        .anyMatch(k -> k.startsWith("vertx_http_server_requests_total{code=200,method=GET,route=/items/:id}"))
        .anyMatch(k -> k.startsWith("vertx_eventbus_reply_failures_total{failure=NO_HANDLERS}"))
        .anyMatch(k -> k.startsWith("vertx_http_server_response_time_seconds_bucket{code=201,method=POST,route=/items},le=0.005"));
    theirs.forEach((key, value) -> {
      if (!timing(key)) {
        assertThat(mine.get(key)).as(key).isEqualTo(value);
      }
    });
    assertThat(mine.get("vertx_http_server_requests_total{code=200,method=GET,route=/items/:id}")).isEqualTo(3.0);
    assertThat(mine.get("vertx_eventbus_processed_total{side=local}")).isEqualTo(8.0);
  }

  private Vertx track(Vertx vertx) {
    started.add(vertx);
    return vertx;
  }

  /** Response times vary; their sums, maxima and buckets are compared by series only. */
  private static boolean timing(String key) {
    return key.startsWith("vertx_http_server_response_time_seconds_") && !key.startsWith("vertx_http_server_response_time_seconds_count");
  }

  /** The vertx_eventbus_* and vertx_http_server_* samples, keyed by name and sorted labels. */
  private static Map<String, Double> series(String text) {
    Map<String, Double> out = new TreeMap<>();
    for (Scrape.Sample s : Scrape.parse(text).samples()) {
      if (s.name().startsWith("vertx_eventbus_") || s.name().startsWith("vertx_http_server_")) {
        Map<String, String> labels = new TreeMap<>(s.labels());
        String le = labels.remove("le");
        out.put(s.name() + labels.toString().replace(", ", ",") + (le == null ? "" : ",le=" + le), s.value());
      }
    }
    return out;
  }

  /**
   * The same work on both: HTTP requests to a matched route (200, three times), a POST with a body
   * (201, twice), an unmatched path (404); bus requests answered (3) and failed (1), sends (2), a
   * publish to two consumers, a request nobody listens to, one consumer unregistered.
   */
  private static void traffic(Vertx vertx) throws Exception {
    Router router = Router.router(vertx);
    router.get("/items/:id").handler(rc -> rc.response().end("item " + rc.pathParam("id")));
    router.post("/items").handler(BodyHandler.create()).handler(rc -> rc.response().setStatusCode(201).end(rc.body().buffer()));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
    WebClient client = WebClient.create(vertx);
    int port = server.actualPort();
    for (String id : List.of("1", "2", "3")) {
      assertThat(client.get(port, "127.0.0.1", "/items/" + id).send().await(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    for (String body : List.of("{\"a\":1}", "{\"b\":22}")) {
      assertThat(client.post(port, "127.0.0.1", "/items").sendBuffer(Buffer.buffer(body)).await(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
    }
    assertThat(client.get(port, "127.0.0.1", "/nope").send().await(30, TimeUnit.SECONDS).statusCode()).isEqualTo(404);
    client.close();
    server.close().await(30, TimeUnit.SECONDS);

    EventBus bus = vertx.eventBus();
    // every message handled before the consumers go: one still queued when unregistered would count as discarded
    CountDownLatch delivered = new CountDownLatch(4);
    MessageConsumer<String> echo = bus.consumer("parity.echo", m -> m.reply(m.body()));
    MessageConsumer<String> failing = bus.consumer("parity.failing", m -> m.fail(7, "no"));
    MessageConsumer<String> sink = bus.consumer("parity.sink", m -> delivered.countDown());
    MessageConsumer<String> first = bus.consumer("parity.news", m -> delivered.countDown());
    MessageConsumer<String> second = bus.consumer("parity.news", m -> delivered.countDown());
    Future.all(List.of(echo.completion(), failing.completion(), sink.completion(), first.completion(), second.completion())).await(30, TimeUnit.SECONDS);
    for (int i = 0; i < 3; i++) {
      assertThat(bus.<String>request("parity.echo", "hi " + i).await(30, TimeUnit.SECONDS).body()).isEqualTo("hi " + i);
    }
    assertThat(bus.request("parity.failing", "x").otherwiseEmpty().recover(e -> Future.succeededFuture()).await(30, TimeUnit.SECONDS)).isNull();
    assertThat(bus.request("parity.nobody", "x").transform(ar -> Future.succeededFuture(ar.failed())).await(30, TimeUnit.SECONDS)).isTrue();
    bus.send("parity.sink", "a");
    bus.send("parity.sink", "b");
    bus.publish("parity.news", "n");
    assertThat(delivered.await(30, TimeUnit.SECONDS)).isTrue();
    second.unregister().await(30, TimeUnit.SECONDS);
  }
}
