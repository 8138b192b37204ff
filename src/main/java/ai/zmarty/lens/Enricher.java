package ai.zmarty.lens;

import static net.logstash.logback.argument.StructuredArguments.kv;

import ai.zmarty.config.LensEnrichConfig;
import ai.zmarty.market.Candle;
import ai.zmarty.market.LiveMarket;
import ai.zmarty.market.Timeframe;
import ai.zmarty.metrics.LensEnrichMetrics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enriches one event, start to end: the event's status (anything but queued or failed is left
 * alone: a redelivery), its profile ({@code unknown_profile}), the timing checks, the quote (an
 * unlisted symbol: {@code unknown_symbol}), the drift check, then the full fetch (book, derivatives,
 * candles per timeframe, in parallel), TA, levels, quality flags and the compact payload, stored
 * with the next stage's message in one transaction. A market failure fails the attempt, so the
 * queue retries it with backoff; on the last attempt (its read count reaching {@code
 * QUEUE_MAX_READS}) the failure is recorded as a DLQ entry instead and the attempt succeeds, so the
 * message is archived rather than also moved to the generic dead-letter queue.
 */
public final class Enricher {
  private static final Logger log = LoggerFactory.getLogger(Enricher.class);

  private final LiveMarket live;
  private final EnrichStore store;
  private final LensEnrichConfig config;
  private final EnrichChecks checks;
  private final QualityFlags quality;
  private final EnrichCandles candles;
  private final EnrichTa.Memo ta = new EnrichTa.Memo(EnrichCandles.MAX_SERIES);
  private final int maxReads;
  private final java.time.Duration timeLimit;
  private final Clock clock;
  private final LensEnrichMetrics metrics;

  /**
   * @param timeLimit how long the market may take for one attempt (quote and full fetch); kept under
   *     the poller's handler timeout so the worker, not the poller, sees the last attempt fail
   */
  public Enricher(LiveMarket live, EnrichStore store, LensEnrichConfig config, int maxReads, java.time.Duration timeLimit, Clock clock, LensEnrichMetrics metrics) {
    this.live = live;
    this.store = store;
    this.config = config;
    this.checks = new EnrichChecks(config);
    this.quality = new QualityFlags(config);
    this.candles = new EnrichCandles(live.candles());
    this.maxReads = maxReads;
    this.timeLimit = timeLimit;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * The market's share of one attempt: the poller's handler timeout less 2 s (at least half of it),
   * leaving time to write the outcome before the poller gives up on the delivery.
   */
  public static java.time.Duration marketTimeLimit(java.time.Duration handlerTimeout) {
    java.time.Duration less = handlerTimeout.minusSeconds(2);
    java.time.Duration half = handlerTimeout.dividedBy(2);
    return less.compareTo(half) > 0 ? less : half;
  }

  /** Enriches {@code id} on delivery {@code attempt} (pgmq's read count, 1 first); the outcome as JSON. */
  public Future<JsonObject> enrich(UUID id, int attempt) {
    long started = System.nanoTime();
    return store.load(id).compose(found -> {
      if (found.isEmpty()) {
        log.warn("lens enrich: no such event {}", kv("event_id", id));
        return Future.succeededFuture(outcome(id, "skipped").put("reason", "no such event"));
      }
      EnrichEvent e = found.get();
      if (!e.enrichable()) {
        log.info("lens enrich: event already {}, nothing to do {}", e.status(), kv("event_id", id));
        return Future.succeededFuture(outcome(id, "skipped").put("reason", "already " + e.status()));
      }
      Attempt a = new Attempt(attempt, started, clock.instant());
      return attempt(e, a).recover(err -> failed(e, a, err));
    });
  }

  /**
   * One delivery's attempt: its number (pgmq's read count), when it began (nanoTime for durations,
   * the clock for the timeline), and whether its {@code enrich_started} row is written yet. The row
   * goes into the outcome's own statement (an enrichment) or is written just before it (a
   * rejection after the quote, a failure), so a normal enrichment costs no round trip for it.
   */
  private static final class Attempt {
    final int number;
    final long nanos;
    final Instant at;
    JsonObject started;
    boolean recorded;

    Attempt(int number, long nanos, Instant at) {
      this.number = number;
      this.nanos = nanos;
      this.at = at;
    }
  }

  /** The attempt's start row, once: before a rejection or a failure (an enrichment writes its own). */
  private Future<Void> recordStart(EnrichEvent e, Attempt a) {
    if (a.started == null || a.recorded) {
      return Future.succeededFuture();
    }
    a.recorded = true;
    return store.started(e.eventId(), a.started, a.at);
  }

  private Future<JsonObject> attempt(EnrichEvent e, Attempt a) {
    long started = a.nanos;
    Optional<FeatureProfile> profile = config.profiles().get(e.featureProfile());
    if (profile.isEmpty()) {
      return reject(e, new EnrichChecks.Rejection(EnrichChecks.UNKNOWN_PROFILE, new JsonObject().put("feature_profile", e.featureProfile()).put("known", String.join(",", config.profiles().names()))));
    }
    Optional<EnrichChecks.Rejection> timing = checks.timing(e.tsUtc(), clock.instant());
    if (timing.isPresent()) {
      return reject(e, timing.get());
    }
    FeatureProfile p = profile.get();
    a.started = new JsonObject().put("attempt", a.number).put("profile", p.name());
    return live.quote(e.symbol()).timeout(timeLimit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .compose(q -> {
          if (q == null) {
            return recordStart(e, a).compose(v -> reject(e, new EnrichChecks.Rejection(EnrichChecks.UNKNOWN_SYMBOL, new JsonObject().put("symbol", e.symbol()).put("provider", live.provider()))));
          }
          Optional<EnrichChecks.Rejection> drift = checks.drift(e.entryPrice(), q.mid());
          if (drift.isPresent()) {
            return recordStart(e, a).compose(v -> reject(e, drift.get()));
          }
          long left = Math.max(1, timeLimit.toMillis() - (System.nanoTime() - started) / 1_000_000);
          return fetch(e, p, q).timeout(left, java.util.concurrent.TimeUnit.MILLISECONDS).compose(s -> store(e, p, s, a));
        });
  }

  private Future<MarketSnapshot> fetch(EnrichEvent e, FeatureProfile p, LiveMarket.Quote q) {
    Instant now = clock.instant();
    Future<LiveMarket.Book> book = live.book(e.symbol(), config.bookDepth());
    Future<LiveMarket.Derivatives> derivatives = p.derivatives() ? live.derivatives(e.symbol()) : Future.succeededFuture();
    Map<Timeframe, Future<List<Candle>>> bars = new HashMap<>();
    if (p.ta() || p.levels()) {
      for (Timeframe tf : p.timeframes()) {
        bars.put(tf, candles.last(e.symbol(), tf, config.candles(), now));
      }
    }
    List<Future<?>> all = new ArrayList<>(bars.values());
    all.add(book);
    all.add(derivatives);
    return Future.all(all).map(v -> {
      Map<Timeframe, List<Candle>> candles = new HashMap<>();
      bars.forEach((tf, f) -> candles.put(tf, f.result()));
      return new MarketSnapshot(live.provider(), live.version(), q, book.result(), derivatives.result(), candles, clock.instant());
    });
  }

  private Future<JsonObject> store(EnrichEvent e, FeatureProfile p, MarketSnapshot s, Attempt a) {
    long started = a.nanos;
    double age = (s.takenAt().toEpochMilli() - e.tsUtc().toEpochMilli()) / 1000.0;
    EnrichDocument d = EnrichDocument.build(p, s, quality, ta);
    JsonObject payload = EnrichPayload.build(e, p, d, age);
    int durationMs = (int) ((System.nanoTime() - started) / 1_000_000);
    return store.enriched(e.eventId(), s.provider(), s.version(), d, age, payload, durationMs, a.started, a.at).map(done -> {
      if (!done) {
        return outcome(e.eventId(), "skipped").put("reason", "enriched or rejected meanwhile");
      }
      long nanos = System.nanoTime() - started;
      metrics.enriched(nanos);
      log.info("lens enriched {} {} {} {} {}", kv("event_id", e.eventId()), kv("symbol", e.symbol()), kv("profile", p.name()), kv("enrich_ms", nanos / 1_000_000), kv("payload_bytes", EnrichPayload.bytes(payload)));
      return outcome(e.eventId(), "enriched");
    });
  }

  private Future<JsonObject> reject(EnrichEvent e, EnrichChecks.Rejection r) {
    return store.reject(e.eventId(), r.reason(), r.detail()).map(done -> {
      if (!done) {
        return outcome(e.eventId(), "skipped").put("reason", "enriched or rejected meanwhile");
      }
      metrics.rejected(r.reason());
      log.info("lens signal rejected {} {} {} {}", kv("event_id", e.eventId()), kv("symbol", e.symbol()), kv("reason", r.reason()), kv("detail", r.detail().encode()));
      return outcome(e.eventId(), "rejected").put("reason", r.reason());
    });
  }

  /** Before the last attempt: fail, and the queue retries later. On it: the DLQ entry, and the message is done. */
  private Future<JsonObject> failed(EnrichEvent e, Attempt a, Throwable err) {
    // the attempt's start row, unless it is written already (then a failure after it) or its statement is what failed
    return recordStart(e, a).transform(ar -> afterStart(e, a.number, err));
  }

  private Future<JsonObject> afterStart(EnrichEvent e, int attempt, Throwable err) {
    String error = err.getClass().getSimpleName() + ": " + err.getMessage();
    if (attempt < maxReads) {
      log.warn("lens enrich attempt {} of {} failed, will retry {} {}", attempt, maxReads, kv("event_id", e.eventId()), kv("error", error));
      return Future.failedFuture(err);
    }
    JsonObject payload = new JsonObject().put("event_id", e.eventId().toString());
    return store.deadLetter(e.eventId(), error, payload, attempt).map(v -> {
      metrics.deadLettered();
      log.error("lens enrich dead-lettered after {} attempts {} {}", attempt, kv("event_id", e.eventId()), kv("error", error));
      return outcome(e.eventId(), "dead_lettered").put("error", error);
    });
  }

  private static JsonObject outcome(UUID id, String outcome) {
    return new JsonObject().put("event_id", id.toString()).put("outcome", outcome);
  }
}
