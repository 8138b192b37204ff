package ai.zmarty.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.MetricsNaming;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Vert.x's HTTP server series ({@code vertx_http_server_*}: connections, bytes, errors, active
 * requests and websockets, request and response sizes, resets, and requests by {@code route},
 * {@code method} and {@code code} with the response-time histogram), the same names and labels as
 * vertx-micrometer-metrics gives them with the labels this project enables. Each meter is found
 * once per method or per route, method and code and kept; Vert.x's own implementation builds the
 * tags and looks up four meters in the registry on every request.
 */
final class HttpServerMeters implements HttpServerMetrics<HttpServerMeters.Request, LongAdder, Object> {
  /** What Vert.x hands back for a connection: there are no per-connection labels. */
  private static final Object CONNECTION = new Object();

  /** A request's meters that depend on its method only. */
  private record PerMethod(LongAdder active, DistributionSummary requestBytes, Counter resets) {}

  /** A finished request's meters: one per route, method and status code. */
  private record PerResponse(Counter count, Timer time, DistributionSummary responseBytes) {}

  /**
   * What a finished request's meters are found by: its routes, method and code. Measured under the
   * chat bench, a record of a joined route string cost more than all the rest (the joined string is
   * new every request, so its hash is computed again, and record hashing goes through method
   * handles); this key hashes the route patterns themselves, the same String instances every time,
   * whose hashes the JVM keeps.
   */
  private static final class ResponseKey {
    private final String[] routes;
    private final int routeCount;
    private final String method;
    private final int code;
    private final int hash;

    ResponseKey(String[] routes, int routeCount, String method, int code) {
      this.routes = routes;
      this.routeCount = routeCount;
      this.method = method;
      this.code = code;
      int h = method.hashCode() * 31 + code;
      for (int i = 0; i < routeCount; i++) {
        h = h * 31 + routes[i].hashCode();
      }
      this.hash = h;
    }

    /** The route label: the patterns the request matched, joined by '>' as Vert.x joins them ("" when none). */
    String route() {
      return String.join(">", Arrays.asList(routes).subList(0, routeCount));
    }

    /** A copy that owns its routes, to keep as a map key. */
    ResponseKey kept() {
      return new ResponseKey(Arrays.copyOf(routes, routeCount), routeCount, method, code);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof ResponseKey k) || k.hash != hash || k.code != code || k.routeCount != routeCount || !k.method.equals(method)) {
        return false;
      }
      for (int i = 0; i < routeCount; i++) {
        if (!routes[i].equals(k.routes[i])) {
          return false;
        }
      }
      return true;
    }
  }

  /** One request in flight. */
  static final class Request {
    private final PerMethod meters;
    private final String method;
    private final long startNanos = System.nanoTime();
    private String[] routes = new String[4];
    private int routeCount;
    private boolean requestEnded;
    private boolean responseEnded;
    private boolean reset;

    private Request(PerMethod meters, String method) {
      this.meters = meters;
      this.method = method;
    }
  }

  private final MeterRegistry registry;
  private final MetricsNaming names;
  private final LongAdder connections = new LongAdder();
  private final LongAdder webSockets = new LongAdder();
  private final Counter bytesReceived;
  private final Counter bytesSent;
  private final Counter errors;
  private final Map<String, PerMethod> perMethod = new ConcurrentHashMap<>();
  private final Map<ResponseKey, PerResponse> perResponse = new ConcurrentHashMap<>();

  HttpServerMeters(MeterRegistry registry, MetricsNaming names) {
    this.registry = registry;
    this.names = names;
    Gauge.builder(names.getNetActiveConnections(), connections, LongAdder::doubleValue).description("Number of opened connections to the server").strongReference(true).register(registry);
    Gauge.builder(names.getHttpActiveWsConnections(), webSockets, LongAdder::doubleValue).description("Number of websockets currently opened").strongReference(true).register(registry);
    bytesReceived = Counter.builder(names.getNetBytesRead()).description("Number of bytes received by the server").register(registry);
    bytesSent = Counter.builder(names.getNetBytesWritten()).description("Number of bytes sent by the server").register(registry);
    errors = Counter.builder(names.getNetErrorCount()).description("Number of errors").register(registry);
  }

  private PerMethod perMethod(String method) {
    return perMethod.computeIfAbsent(method, m -> {
      LongAdder active = new LongAdder();
      Gauge.builder(names.getHttpActiveRequests(), active, LongAdder::doubleValue).description("Number of requests being processed").tag("method", m).strongReference(true).register(registry);
      return new PerMethod(active,
          DistributionSummary.builder(names.getHttpRequestBytes()).description("Size of requests in bytes").tag("method", m).register(registry),
          Counter.builder(names.getHttpRequestResetsCount()).description("Number of request resets").tag("method", m).register(registry));
    });
  }

  private PerResponse perResponse(ResponseKey key) {
    PerResponse found = perResponse.get(key);
    return found != null ? found : perResponse.computeIfAbsent(key.kept(), k -> {
      String route = k.route();
      String code = String.valueOf(k.code);
      return new PerResponse(
          Counter.builder(names.getHttpRequestsCount()).description("Number of processed requests").tag("route", route).tag("method", k.method).tag("code", code).register(registry),
          Timer.builder(names.getHttpResponseTime()).description("Request processing time").tag("route", route).tag("method", k.method).tag("code", code).register(registry),
          DistributionSummary.builder(names.getHttpResponseBytes()).description("Size of responses in bytes").tag("route", route).tag("method", k.method).tag("code", code).register(registry));
    });
  }

  @Override
  public Object connected(SocketAddress remoteAddress, String remoteName) {
    connections.increment();
    return CONNECTION;
  }

  @Override
  public void disconnected(Object connection, SocketAddress remoteAddress) {
    connections.decrement();
  }

  @Override
  public void bytesRead(Object connection, SocketAddress remoteAddress, long numberOfBytes) {
    bytesReceived.increment(numberOfBytes);
  }

  @Override
  public void bytesWritten(Object connection, SocketAddress remoteAddress, long numberOfBytes) {
    bytesSent.increment(numberOfBytes);
  }

  @Override
  public void exceptionOccurred(Object connection, SocketAddress remoteAddress, Throwable t) {
    errors.increment();
  }

  private Request begin(HttpMethod method) {
    String name = method.name();
    Request request = new Request(perMethod(name), name);
    request.meters.active().increment();
    return request;
  }

  @Override
  public Request requestBegin(Object connection, HttpRequest request) {
    return begin(request.method());
  }

  @Override
  public Request responsePushed(Object connection, HttpMethod method, String uri, HttpResponse response) {
    return begin(method);
  }

  @Override
  public void requestRouted(Request request, String route) {
    if (route != null) {
      if (request.routeCount == request.routes.length) {
        request.routes = Arrays.copyOf(request.routes, request.routeCount * 2);
      }
      request.routes[request.routeCount++] = route;
    }
  }

  @Override
  public void requestEnd(Request request, HttpRequest httpRequest, long bytesRead) {
    request.meters.requestBytes().record(bytesRead);
    request.requestEnded = true;
    if (!request.reset && request.responseEnded) {
      request.meters.active().decrement();
    }
  }

  @Override
  public void requestReset(Request request) {
    request.meters.resets().increment();
    request.meters.active().decrement();
    request.reset = true;
  }

  @Override
  public void responseEnd(Request request, HttpResponse response, long bytesWritten) {
    PerResponse m = perResponse(new ResponseKey(request.routes, request.routeCount, request.method, response.statusCode()));
    m.count().increment();
    m.time().record(System.nanoTime() - request.startNanos, TimeUnit.NANOSECONDS);
    m.responseBytes().record(bytesWritten);
    request.responseEnded = true;
    if (!request.reset && request.requestEnded) {
      request.meters.active().decrement();
    }
  }

  @Override
  public LongAdder connected(Object connection, Request request, ServerWebSocket webSocket) {
    webSockets.increment();
    return webSockets;
  }

  @Override
  public void disconnected(LongAdder webSocket) {
    webSocket.decrement();
  }
}
