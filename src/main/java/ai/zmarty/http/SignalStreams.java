package ai.zmarty.http;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.market.Pair;
import ai.zmarty.market.Symbols;
import ai.zmarty.outbox.EventOutbox;
import ai.zmarty.outbox.RecentEvents;
import ai.zmarty.watchlist.Watchlist;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /signals/stream}: new signals as Server-Sent Events, live. Every {@code
 * events.signal.created} published anywhere in the cluster (through the event outbox, so at least
 * once; repeats are dropped by {@code event_id}) is written, as one frame encoded once, to the
 * streams whose filter it matches: the user's watched pairs, or {@code ?symbols=} (all timeframes).
 * Beyond {@code SIGNAL_STREAMS_MAX} open streams a node answers 503 with {@code Retry-After}; a
 * client with more than {@link #MAX_PENDING_BYTES} unsent when a signal arrives is cut off rather
 * than buffered for. One heartbeat timer serves every stream.
 * Runs on the HTTP verticle's event loop.
 */
public final class SignalStreams {
  private static final Logger log = LoggerFactory.getLogger(SignalStreams.class);
  public static final String PATH = "/signals/stream";
  static final long HEARTBEAT_MS = 15_000;
  static final int MAX_SYMBOLS = 50;
  /** Bytes written to one stream and not yet handed to the kernel; a signal that would pass it closes the stream. */
  static final long MAX_PENDING_BYTES = 1 << 20;
  private static final Buffer HEARTBEAT = Buffer.buffer(": keep-alive\n\n");
  private static final Buffer SLOW = frame(null, "error", new JsonObject().put("error", "slow_consumer").put("message", "this client reads too slowly; reconnect"));

  private final Vertx vertx;
  private final Watchlist watchlist;
  private final int maxStreams;
  private final SignalStreamIndex<Stream> index = new SignalStreamIndex<>();
  private final RecentEvents recent = new RecentEvents(10_000);
  private MessageConsumer<JsonObject> consumer;
  private long heartbeat = -1;

  public SignalStreams(Vertx vertx, Watchlist watchlist, int maxStreams) {
    this.vertx = vertx;
    this.watchlist = watchlist;
    this.maxStreams = maxStreams;
  }

  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.EVENTS_SIGNAL_CREATED, msg -> deliver(msg.body()));
    heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> index.all().forEach(r -> r.response.write(HEARTBEAT)));
    return consumer.completion();
  }

  /** Mount after the token check. */
  public void mount(Router router) {
    router.get(PATH).handler(this::open);
  }

  /** Ends every stream with {@code event: error} ({@code shutting_down}) and stops consuming. */
  public Future<Void> stop() {
    vertx.cancelTimer(heartbeat);
    Buffer bye = frame(null, "error", new JsonObject().put("error", "shutting_down").put("message", "this node is stopping; reconnect"));
    new ArrayList<>(index.all()).forEach(r -> end(r, bye));
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Streams open on this instance. */
  public int open() {
    return index.size();
  }

  private void open(RoutingContext rc) {
    String symbolsParam = rc.queryParams().get("symbols");
    Set<String> symbols;
    try {
      symbols = symbols(symbolsParam);
    } catch (IllegalArgumentException e) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    if (index.size() >= maxStreams) {
      rc.response().putHeader("Retry-After", "5");
      Errors.send(rc, ErrorCode.UNAVAILABLE, "this node already streams signals to " + maxStreams + " clients (SIGNAL_STREAMS_MAX); try again shortly or another node");
      return;
    }
    Future<SignalStreamIndex.Filter> filter = symbols != null
        ? Future.succeededFuture(SignalStreamIndex.Filter.symbols(symbols))
        : watchlist.pairs(Authenticator.user(rc).id()).map(SignalStreams::pairs);
    filter.onSuccess(f -> attach(rc.response(), f)).onFailure(err -> {
      ErrorCode code = ErrorCode.of(err);
      if (code == ErrorCode.INTERNAL) {
        rc.fail(err);
        return;
      }
      Errors.send(rc, code, err.getMessage());
    });
  }

  private void attach(HttpServerResponse response, SignalStreamIndex.Filter filter) {
    if (response.closed()) {
      return;
    }
    response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
    response.write(Buffer.buffer("retry: 3000\n\n").appendBuffer(frame(null, "ready", filter.toJson())));
    Stream stream = new Stream(response);
    index.add(stream, filter);
    response.closeHandler(v -> index.remove(stream));
    response.exceptionHandler(err -> index.remove(stream));
  }

  private void deliver(JsonObject signal) {
    if (signal == null || !recent.first(signal)) {
      return;
    }
    List<Stream> to = index.matching(signal.getString("symbol"), signal.getString("timeframe"));
    if (to.isEmpty()) {
      return;
    }
    Buffer frame = frame(signal.getString(EventOutbox.EVENT_ID), "signal", signal);
    for (Stream r : to) {
      if (r.pending + frame.length() > MAX_PENDING_BYTES) {
        drop(r);
      } else {
        r.send(frame);
      }
    }
  }

  /**
   * A client that stopped reading: its stream is dropped and the connection closed at once (an
   * {@code end()} would wait behind the very bytes it does not read). The closing event is written
   * first on the chance it still fits; a client that reconnects starts afresh.
   */
  private void drop(Stream r) {
    index.remove(r);
    log.info("signal stream closed: slow consumer, more than {} bytes waiting", MAX_PENDING_BYTES);
    if (!r.response.closed()) {
      r.response.write(SLOW);
      r.response.reset();
    }
  }

  private void end(Stream r, Buffer last) {
    index.remove(r);
    if (!r.response.ended() && !r.response.closed()) {
      r.response.end(last);
    }
  }

  /**
   * One open stream and its bytes in flight. Counted by the writes' completions rather than {@code
   * writeQueueFull()}, which a burst of writes from one event-loop turn does not see filling.
   */
  private static final class Stream {
    final HttpServerResponse response;
    long pending;

    Stream(HttpServerResponse response) {
      this.response = response;
    }

    void send(Buffer frame) {
      int n = frame.length();
      pending += n;
      response.write(frame).onComplete(ar -> pending -= n);
    }
  }

  static Buffer frame(String id, String event, JsonObject data) {
    StringBuilder sb = new StringBuilder(256);
    if (id != null) {
      sb.append("id: ").append(id).append('\n');
    }
    return Buffer.buffer(sb.append("event: ").append(event).append("\ndata: ").append(data.encode()).append("\n\n").toString());
  }

  /** {@code null} when the parameter is absent (the watchlist decides); otherwise canonical symbols. */
  static Set<String> symbols(String param) {
    if (param == null) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (String s : param.split(",")) {
      if (!s.isBlank()) {
        out.add(Symbols.canonical(s.trim()));
      }
    }
    if (out.isEmpty() || out.size() > MAX_SYMBOLS) {
      throw new IllegalArgumentException("symbols must name 1 to " + MAX_SYMBOLS + " symbols separated by commas, got '" + param + "'");
    }
    return out;
  }

  private static SignalStreamIndex.Filter pairs(List<Pair> pairs) {
    return SignalStreamIndex.Filter.pairs(pairs.stream().map(p -> new SignalStreamIndex.Key(p.symbol(), p.timeframe().label())).toList());
  }

  static JsonArray array(Iterable<String> values) {
    JsonArray a = new JsonArray();
    values.forEach(a::add);
    return a;
  }
}
