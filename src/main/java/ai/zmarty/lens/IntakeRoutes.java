package ai.zmarty.lens;

import static net.logstash.logback.argument.StructuredArguments.kv;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.http.Errors;
import ai.zmarty.http.Responses;
import ai.zmarty.limit.ClusterRateLimiter;
import ai.zmarty.metrics.IntakeMetrics;
import ai.zmarty.metrics.IntakeMetrics.Reason;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/signals}: an outside source posts a trade signal with its key in
 * {@code X-API-Key}. In order: 413 over {@value #MAX_BODY} bytes, 401 for a missing, unknown or
 * revoked key, 429 past the source's cluster-wide rate limit, 403 for a body naming another source,
 * 400 naming every bad field, then 202 queued, 200 for a repeated idempotency key (the first event
 * and its status) or 422 for that key with a different body.
 */
public final class IntakeRoutes {
  private static final Logger log = LoggerFactory.getLogger(IntakeRoutes.class);
  public static final String PATH = "/api/v1/signals";
  /** The largest signal body, in bytes. */
  public static final int MAX_BODY = 16 * 1024;
  private static final String SOURCE = "lens.source";

  private final SourceKeys keys;
  private final ClusterRateLimiter limiter;
  private final IntakeStore store;
  private final IntakeMetrics metrics;
  private final String defaultProfile;

  public IntakeRoutes(SourceKeys keys, ClusterRateLimiter limiter, IntakeStore store, IntakeMetrics metrics, String defaultProfile) {
    this.keys = keys;
    this.limiter = limiter;
    this.store = store;
    this.metrics = metrics;
    this.defaultProfile = defaultProfile;
  }

  /** Before the body is read: a declared length over the limit is refused without reading it. */
  public void mountBeforeBody(Router router) {
    router.post(PATH).handler(rc -> {
      String length = rc.request().getHeader("content-length");
      if (length != null && length.length() < 19 && length.chars().allMatch(Character::isDigit) && Long.parseLong(length) > MAX_BODY) {
        tooLarge(rc);
        return;
      }
      rc.next();
    });
  }

  public void mount(Router router) {
    router.post(PATH).handler(this::authenticate).handler(this::limit).handler(this::accept);
  }

  private void authenticate(RoutingContext rc) {
    if (rc.body().length() > MAX_BODY) { // a length the pre-body check could not read
      tooLarge(rc);
      return;
    }
    String key = rc.request().getHeader("X-API-Key");
    keys.authenticate(key).onFailure(rc::fail).onSuccess(source -> {
      if (source.isEmpty()) {
        metrics.rejected(Reason.AUTH);
        Errors.send(rc, ErrorCode.UNAUTHORIZED, key == null || key.isEmpty() ? "missing API key: send the source's key in X-API-Key" : "unknown or revoked API key");
        return;
      }
      rc.put(SOURCE, source.get());
      rc.next();
    });
  }

  private void limit(RoutingContext rc) {
    String source = rc.get(SOURCE);
    limiter.take(source).onFailure(rc::fail).onSuccess(d -> {
      d.headers(rc.response()::putHeader);
      if (!d.allowed()) {
        metrics.rejected(Reason.RATE_LIMITED);
        log.info("signal refused: rate limit {} retry_after_s={}", kv("source", source), d.retryAfterSeconds());
        Errors.send(rc, ErrorCode.RATE_LIMITED, "source " + source + " is over its rate limit (" + d.policy().perMinute() + " a minute, bursts up to "
            + d.policy().burst() + "): try again in " + d.retryAfterSeconds() + " s");
        return;
      }
      rc.next();
    });
  }

  private void accept(RoutingContext rc) {
    String source = rc.get(SOURCE);
    JsonObject body = Responses.jsonBody(rc);
    if (body == null) {
      metrics.rejected(Reason.VALIDATION);
      return;
    }
    if (body.getValue("source") instanceof String named && !named.equals(source)) {
      metrics.rejected(Reason.FORBIDDEN);
      Errors.send(rc, ErrorCode.FORBIDDEN, "this key belongs to source '" + source + "', the body names source '" + named + "'");
      return;
    }
    IntakeRequest.Checked checked = IntakeRequest.check(body, defaultProfile);
    if (checked.signal().isEmpty()) {
      metrics.rejected(Reason.VALIDATION);
      Responses.json(rc, 400, new JsonObject().put("error", ErrorCode.BAD_REQUEST.wire()).put("message", checked.message()).put("fields", new JsonObject(new java.util.LinkedHashMap<>(checked.problems()))));
      return;
    }
    IntakeRequest.Signal signal = checked.signal().get();
    long writing = System.nanoTime();
    store.accept(signal).onFailure(rc::fail).onSuccess(o -> {
      switch (o.kind()) {
        case QUEUED -> {
          metrics.received();
          metrics.enqueued(System.nanoTime() - writing);
          log.info("signal accepted {} {} {} {}", kv("event_id", o.eventId()), kv("source", source), kv("symbol", signal.symbol()), kv("event_type", signal.eventType()));
          Responses.json(rc, 202, new JsonObject().put("event_id", o.eventId().toString()).put("status", o.status()));
        }
        case REPLAYED -> {
          metrics.replayed();
          log.info("signal repeated {} {} {}", kv("event_id", o.eventId()), kv("source", source), kv("idempotency_key", signal.idempotencyKey()));
          Responses.json(rc, 200, new JsonObject().put("event_id", o.eventId().toString()).put("status", o.status()).put("replayed", true));
        }
        case CONFLICT -> {
          metrics.rejected(Reason.IDEMPOTENCY_CONFLICT);
          Errors.send(rc, ErrorCode.UNPROCESSABLE, "idempotency_key '" + signal.idempotencyKey() + "' was already used by this source for a different signal (event " + o.eventId() + ")");
        }
      }
    });
  }

  private void tooLarge(RoutingContext rc) {
    metrics.rejected(Reason.VALIDATION);
    Errors.send(rc.response(), 413, "a signal body is at most " + MAX_BODY / 1024 + " KB");
  }
}
