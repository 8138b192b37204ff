package ai.zmarty.sync;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.contracts.Contracts;
import ai.zmarty.contracts.FieldProblem;
import ai.zmarty.contracts.Schema;
import ai.zmarty.config.ZmartyConfig.SyncConfig;
import ai.zmarty.queue.PgmqClient;
import ai.zmarty.sync.WatcherChange.InvalidPayload;
import ai.zmarty.sync.WatcherChange.Watch;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of the A→B sync, {@code POST /hooks/watchers-upsert}: checks the signature over
 * the raw body, then applies the change to B's watchers exactly once (the event id is recorded in
 * the same transaction) and enqueues {@code ingest_indicators} for a pair nobody watched before
 * (or whose watchers were all paused: adding a paused pair again resumes it).
 */
public final class WatchersUpsertHook {
  private static final Logger log = LoggerFactory.getLogger(WatchersUpsertHook.class);

  public static final String PATH = "/hooks/watchers-upsert";
  public static final String INGEST_QUEUE = "ingest_indicators";
  /** The contract of a delivery's body (docs/contracts). */
  public static final String CONTRACT = "http.watchers-upsert.request";

  /** The HTTP answer: a status and its JSON body. */
  public record Response(int status, JsonObject body) {
    static Response error(ErrorCode code, String message) {
      return new Response(code.httpStatus(), new JsonObject().put("error", code.wire()).put("message", message));
    }

    /** 400 naming each field that breaks the contract, in the API's one error shape. */
    static Response invalid(List<FieldProblem> problems) {
      return new Response(400, error(ErrorCode.BAD_REQUEST, Schema.summary(problems)).body().put("fields", Schema.toJson(problems)));
    }
  }

  private final Pool trading;
  private final PgmqClient queues;
  private final Supplier<String> secret;
  private final Duration tolerance;
  /** Checked after the signature, which covers the raw bytes (docs/openapi.yaml: x-validated-in-handler). */
  private final Schema contract = Contracts.bundled().schema(CONTRACT);
  private volatile WebhookSignature signature;
  private volatile EventBus bus;

  public WatchersUpsertHook(Pool trading, PgmqClient queues, SyncConfig config, Supplier<String> secret) {
    this.trading = trading;
    this.queues = queues;
    this.secret = secret;
    this.tolerance = config.tolerance();
  }

  /**
   * Adds the route; the router must already collect bodies (BodyHandler). Each applied change is
   * announced on {@code vertx}'s bus ({@code events.watchlist.changed}, once per user it touched).
   */
  public void mount(Router router, Vertx vertx) {
    this.bus = vertx.eventBus();
    router
        .post(PATH)
        .handler(
            rc ->
                handle(rc.body().buffer(), rc.request().headers())
                    .onSuccess(r -> rc.response().setStatusCode(r.status()).putHeader("content-type", "application/json").end(r.body().encode()))
                    .onFailure(rc::fail));
  }

  /** Verifies and applies one delivery; a failed future means B could not be written (retry later). */
  public Future<Response> handle(Buffer rawBody, MultiMap headers) {
    byte[] bytes = rawBody == null ? new byte[0] : rawBody.getBytes();
    WebhookSignature.Verdict verdict = signature().verify(headers.get(WebhookSignature.TIMESTAMP_HEADER), headers.get(WebhookSignature.SIGNATURE_HEADER), bytes, Instant.now());
    if (!verdict.valid()) {
      log.warn("sync hook refused endpoint={} webhook_id={} reason={}", PATH, headers.get(WebhookSignature.ID_HEADER), verdict);
      return Future.succeededFuture(Response.error(ErrorCode.UNAUTHORIZED, verdict.message()));
    }
    JsonObject payload;
    try {
      payload = new JsonObject(Buffer.buffer(bytes));
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      return Future.succeededFuture(Response.error(ErrorCode.BAD_REQUEST, "body is not a JSON object"));
    }
    List<FieldProblem> problems = contract.check(payload);
    if (!problems.isEmpty()) {
      return Future.succeededFuture(Response.invalid(problems));
    }
    WatcherChange change;
    try {
      change = WatcherChange.fromPayload(payload);
    } catch (InvalidPayload e) {
      return Future.succeededFuture(Response.error(ErrorCode.BAD_REQUEST, e.getMessage()));
    }
    String idHeader = headers.get(WebhookSignature.ID_HEADER);
    if (idHeader != null && !idHeader.equalsIgnoreCase(change.eventId().toString())) {
      return Future.succeededFuture(Response.error(ErrorCode.BAD_REQUEST, WebhookSignature.ID_HEADER + " does not match the body's event_id"));
    }
    return trading.withTransaction(conn -> apply(conn, change)).onSuccess(r -> {
      log.info("sync hook event_id={} type={} outcome={}", change.eventId(), change.type(), r.body().encode());
      if (bus != null && "applied".equals(r.body().getString("status"))) {
        Stream.concat(change.deactivate().stream(), change.activate().stream()).map(Watch::userId).distinct()
            .forEach(u -> bus.publish(Addresses.EVENTS_WATCHLIST_CHANGED, new JsonObject().put("user_id", u.toString())));
      }
    });
  }

  private Future<Response> apply(SqlConnection conn, WatcherChange change) {
    return conn.preparedQuery(SyncSql.RECORD_DELIVERY)
        .execute(Tuple.of(change.eventId()))
        .compose(
            recorded -> {
              if (recorded.size() == 0) {
                return Future.succeededFuture(new Response(200, new JsonObject().put("status", "duplicate").put("event_id", change.eventId().toString())));
              }
              JsonObject outcome = new JsonObject().put("status", "applied").put("event_id", change.eventId().toString()).put("type", change.type());
              return lockPairs(conn, change)
                  .compose(v -> change.deactivate().map(w -> deactivate(conn, w, outcome)).orElse(Future.succeededFuture()))
                  .compose(v -> change.activate().map(w -> activate(conn, w, outcome)).orElse(Future.succeededFuture()))
                  .map(v -> new Response(200, outcome));
            });
  }

  /** Takes the pairs' locks in one fixed order, so two deliveries touching the same pairs cannot deadlock. */
  private static Future<Void> lockPairs(SqlConnection conn, WatcherChange change) {
    List<Watch> pairs = new ArrayList<>();
    change.deactivate().ifPresent(pairs::add);
    change.activate().ifPresent(pairs::add);
    pairs.sort(Comparator.comparing(Watch::symbol).thenComparing(Watch::timeframe));
    Future<Void> chain = Future.succeededFuture();
    for (Watch w : pairs) {
      chain = chain.compose(v -> conn.preparedQuery(SyncSql.LOCK_PAIR).execute(Tuple.of(w.symbol(), w.timeframe())).mapEmpty());
    }
    return chain;
  }

  private static Future<Void> deactivate(SqlConnection conn, Watch w, JsonObject outcome) {
    return conn.preparedQuery(SyncSql.DEACTIVATE)
        .execute(Tuple.of(w.userId(), w.symbol(), w.timeframe()))
        .map(
            rows -> {
              outcome.put("deactivated", rows.rowCount() > 0 ? w.pair().toJson() : null);
              return null;
            });
  }

  private Future<Void> activate(SqlConnection conn, Watch w, JsonObject outcome) {
    return conn.preparedQuery(SyncSql.PAIR_ACTIVE)
        .execute(Tuple.of(w.symbol(), w.timeframe()))
        .compose(
            before -> {
              boolean watchedBefore = before.iterator().next().getBoolean("active");
              return conn.preparedQuery(SyncSql.RESUME_PAIR)
                  .execute(Tuple.of(w.symbol(), w.timeframe()))
                  .compose(resumed -> {
                    if (resumed.rowCount() > 0) {
                      outcome.put("resumed", resumed.rowCount());
                    }
                    return conn.preparedQuery(SyncSql.ACTIVATE).execute(Tuple.of(w.userId(), w.symbol(), w.timeframe()));
                  })
                  .compose(
                      upserted -> {
                        outcome.put("activated", upserted.rowCount() > 0 ? w.pair().toJson() : null);
                        if (watchedBefore) {
                          return Future.succeededFuture();
                        }
                        // A pair nobody watched: ingest now rather than at the next scheduled run.
                        return queues.send(conn, INGEST_QUEUE, w.pair().toJson(), Duration.ZERO).map(id -> {
                          outcome.put("ingest_msg_id", id);
                          return null;
                        });
                      });
            });
  }

  private WebhookSignature signature() {
    WebhookSignature s = signature;
    if (s == null) {
      s = new WebhookSignature(secret.get(), tolerance);
      signature = s;
    }
    return s;
  }
}
