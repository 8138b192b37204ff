package ai.zmarty.sync;

import ai.zmarty.config.ZmartyConfig.SyncConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts database A's {@code sync_outbox} rows, signed, to the watchers-upsert hook, and marks each
 * delivered, dead or due again with exponential backoff as {@link DeliveryOutcome} says. Wakes on {@code NOTIFY sync_outbox}
 * (so a change reaches B within a moment of its commit) and, in case a notification is missed, on
 * a {@code SYNC_POLL} timer. Any number of nodes may run it: a row is claimed before it is sent.
 */
public final class OutboxRelayVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelayVerticle.class);

  static final int BATCH = 50;
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** How long a claimed row stays hidden from other nodes: the send plus its bookkeeping. */
  static final Duration CLAIM = REQUEST_TIMEOUT.plusSeconds(20);

  private final Pool chat;
  private final PgConnectOptions listenOn;
  private final SyncConfig config;
  private final Supplier<String> secret;
  private final Supplier<String> url;
  private final DeliveryBackoff backoff;
  private final Claims claims = new Claims(); // on stop, sends get 5 s (a delivery takes ms), the rest are given back
  private WebClient client;
  private PgSubscriber subscriber;
  private WebhookSignature signature;
  private long timer = -1;
  // Rows just delivered may have unblocked later changes to the same source rows, and a full
  // batch may have left more: look again until a batch finds nothing due.
  private final ai.zmarty.outbox.BatchLoop loop = new ai.zmarty.outbox.BatchLoop(() -> relayBatch().map(n -> n > 0),
      err -> log.warn("sync relay batch failed: {}", err.toString()));
  private volatile long delivered;
  private volatile long failures;

  /**
   * @param listenOn database A, for the LISTEN connection (the pool's connections are shared)
   * @param url where to post; asked at every batch, so it may name a port bound after deployment
   */
  public OutboxRelayVerticle(Pool chat, PgConnectOptions listenOn, SyncConfig config, Supplier<String> secret, Supplier<String> url) {
    this.chat = chat;
    this.listenOn = listenOn;
    this.config = config;
    this.secret = secret;
    this.url = url;
    this.backoff = DeliveryBackoff.upTo(config.backoffMax());
  }

  /** A claimed outbox row: the body is the payload's text, sent and signed byte for byte. */
  private record Claimed(long id, UUID eventId, String body, int attempts) {
    static Claimed of(Row r) {
      return new Claimed(r.getLong("id"), r.getUUID("event_id"), r.getString("body"), r.getInteger("attempts"));
    }
  }

  @Override
  public Future<?> start() {
    client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setUserAgent("zmarty-sync-relay"));
    timer = vertx.setPeriodic(config.poll().toMillis(), id -> wake());
    subscriber = PgSubscriber.subscriber(vertx, listenOn).reconnectPolicy(retries -> 1_000L);
    // subscribeHandler runs after each (re)LISTEN: catch up on whatever was committed meanwhile.
    subscriber.channel(SyncSql.CHANNEL).subscribeHandler(v -> wake()).handler(id -> wake());
    return subscriber
        .connect()
        .onSuccess(v -> log.info("sync relay listening on {} (poll every {} ms), posting to {}", SyncSql.CHANNEL, config.poll().toMillis(), url.get()))
        .recover(
            err -> {
              // Not fatal: the timer still relays, only less promptly.
              log.warn("sync relay cannot LISTEN {}: {}; relying on the {} ms poll", SyncSql.CHANNEL, err.getMessage(), config.poll().toMillis());
              return Future.succeededFuture();
            })
        .onSuccess(v -> wake());
  }

  @Override
  public Future<?> stop() {
    loop.stop();
    vertx.cancelTimer(timer);
    return claims.drain(vertx, chat, Duration.ofSeconds(5)).eventually(() -> subscriber.close().andThen(v -> client.close()));
  }

  /** Deliveries acknowledged by this verticle. */
  public long delivered() {
    return delivered;
  }

  /** Failed delivery attempts by this verticle. */
  public long failures() {
    return failures;
  }

  /** Runs one batch now, or right after the one in progress; never two at once. */
  private void wake() {
    loop.wake();
  }

  private Future<Integer> relayBatch() {
    return chat.preparedQuery(SyncSql.CLAIM_DUE)
        .execute(Tuple.of(BATCH, (double) CLAIM.toSeconds()))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(0);
              }
              List<Claimed> claimed = new ArrayList<>();
              rows.forEach(r -> claimed.add(Claimed.of(r)));
              claimed.sort(Comparator.comparingLong(Claimed::id));
              String target = url.get();
              // At most one row per source row is due at a time, so these may go out together.
              List<Future<Void>> sends = claimed.stream().map(c -> deliver(target, c)).toList();
              return Future.join(sends).transform(v -> Future.succeededFuture(claimed.size()));
            });
  }

  private Future<Void> deliver(String target, Claimed row) {
    long started = System.nanoTime();
    claims.sending(row.id());
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    Buffer body = Buffer.buffer(row.body());
    Future<HttpResponse<Buffer>> sent;
    try {
      sent =
          client
              .postAbs(target)
              .timeout(REQUEST_TIMEOUT.toMillis())
              .putHeader("content-type", "application/json")
              .putHeader(WebhookSignature.ID_HEADER, row.eventId().toString())
              .putHeader(WebhookSignature.TIMESTAMP_HEADER, timestamp)
              .putHeader(WebhookSignature.SIGNATURE_HEADER, signature().sign(timestamp, body.getBytes()))
              .sendBuffer(body)
              .compose(OutboxRelayVerticle::acknowledged);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    return sent.transform(
        ar -> {
          if (!claims.settled(row.id())) {
            return Future.succeededFuture(); // given back by a stopping relay
          }
          long latencyMs = (System.nanoTime() - started) / 1_000_000;
          if (ar.succeeded()) {
            return chat.preparedQuery(SyncSql.MARK_DELIVERED)
                .execute(Tuple.of(row.id()))
                .onSuccess(
                    v -> {
                      delivered++;
                      log.info("sync delivered event_id={} outbox_id={} attempt={} latency_ms={}", row.eventId(), row.id(), row.attempts() + 1, latencyMs);
                    })
                .mapEmpty();
          }
          failures++;
          String error = ar.cause().getMessage() == null ? ar.cause().toString() : ar.cause().getMessage();
          int status = ar.cause() instanceof Answered answered ? answered.status : 0;
          if (DeliveryOutcome.of(status, row.attempts() + 1, config.maxAttempts()) == DeliveryOutcome.DEAD) {
            return chat.preparedQuery(SyncSql.MARK_REFUSED)
                .execute(Tuple.of(row.id(), error))
                .onSuccess(v -> log.warn("sync delivery dead (retry: POST /admin/sync/{}/retry) event_id={} outbox_id={} attempt={} url={} error={}", row.id(), row.eventId(), row.id(), row.attempts() + 1, target, error))
                .mapEmpty();
          }
          Duration retryIn = backoff.delay(row.attempts() + 1);
          return chat.preparedQuery(SyncSql.MARK_FAILED)
              .execute(Tuple.of(row.id(), error, retryIn.toMillis() / 1000.0))
              .onSuccess(
                  v ->
                      log.warn(
                          "sync delivery failed event_id={} outbox_id={} attempt={} retry_in_ms={} url={} error={}",
                          row.eventId(),
                          row.id(),
                          row.attempts() + 1,
                          retryIn.toMillis(),
                          target,
                          error))
              .mapEmpty();
        });
  }

  /** A 2xx is an acknowledgement; anything else fails with the status and the start of the answer. */
  private static Future<HttpResponse<Buffer>> acknowledged(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return Future.succeededFuture(response);
    }
    String answer = response.body() == null ? "" : response.bodyAsString();
    String error = "HTTP " + status + (answer.isEmpty() ? "" : ": " + (answer.length() > 300 ? answer.substring(0, 300) + "…" : answer));
    return Future.failedFuture(new Answered(status, error));
  }

  /** The receiver answered, but not with a 2xx: its status decides the row's fate ({@link DeliveryOutcome}). */
  private static final class Answered extends RuntimeException {
    final int status;

    Answered(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private WebhookSignature signature() {
    if (signature == null) {
      signature = new WebhookSignature(secret.get(), config.tolerance());
    }
    return signature;
  }
}
