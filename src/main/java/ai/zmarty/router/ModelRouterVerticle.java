package ai.zmarty.router;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.bus.Replies;
import ai.zmarty.metrics.ChatMetrics;
import ai.zmarty.signal.SignalQueries;
import ai.zmarty.watchlist.Watchlist;
import ai.zmarty.winrate.WinRateQueries;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers chats on {@code model.chat}: builds the prompt from the user's data ({@link
 * ChatPreparer}), picks the providers to try ({@link RoutingPolicy}, skipping open breakers: {@link
 * ProviderBreakers}), reserves the worst case at the priciest of them (402 before any model call),
 * then streams the answer ({@link AnswerStream}, which tries them as {@link FallbackChain} decides).
 * The first token decides: the reply "accepted" names the provider that produced it, and from then
 * on there is no fallback. When every provider fails before output, the hold is released and the
 * request fails with a {@link RouterFailure} (UNAVAILABLE, with its retry hint and each attempt's kind).
 *
 * <p>Request {request_id, user_id, message, stream_address, endpoint?, history?: [{role, content}], admit?};
 * reply {request_id, provider, reserved, max_tokens, limits?}. With {@code admit} (the API node's
 * chat limits, see {@code credit.reserve}) the limits run in the hold's round trip; when they refuse,
 * the reply is {request_id, limits} and nothing is held or streamed. Stream messages: a String is answer text (what
 * arrived together, in order; no JSON wrapper, as it is the hot path), then one {@link StreamEvent}
 * as JSON. Stopping cancels the answers in flight and waits (bounded) until each is settled or released.
 */
public final class ModelRouterVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ModelRouterVerticle.class);
  private static final long DRAIN_MS = 10_000;
  /** Database A's channel of changes to watchlists, payload the user's id (migration 20260113000100). */
  static final String WATCHLIST_CHANNEL = "watchlist_changed";

  /** When a provider's breaker opens and probes again. */
  public record Breakers(int maxFailures, Duration reset) {}

  private final Map<String, ModelProvider> providers = new LinkedHashMap<>();
  private final RoutingPolicy policy;
  private final Breakers breakerSettings;
  private final ChatPreparer preparer;
  private final Set<AnswerStream> streaming = ConcurrentHashMap.newKeySet();
  private final ChatMetrics metrics;
  private final PgConnectOptions listenOn;
  private ProviderBreakers breakers;
  private PgSubscriber subscriber;

  /**
   * {@code real}: the providers that have a key, each behind its own breaker; {@code offline}
   * answers only when there is none. {@code listenOn}: database A, for a connection of its own that
   * LISTENs for changes to watchlists ({@link #WATCHLIST_CHANNEL}); null: none (each user's pairs are
   * then read again every {@link WatchedPairs#TTL}).
   */
  public ModelRouterVerticle(ModelProvider offline, List<ModelProvider> real, Breakers breakers, Watchlist watchlist, SignalQueries signals, WinRateQueries winRates, TokenCounter tokens, ChatMetrics metrics, PgConnectOptions listenOn) {
    this.metrics = metrics;
    this.listenOn = listenOn;
    providers.put(offline.name(), offline);
    real.forEach(p -> providers.put(p.name(), p));
    this.policy = new RoutingPolicy(real.stream().map(ModelProvider::name).toList());
    this.breakerSettings = breakers;
    this.preparer = new ChatPreparer(watchlist, signals, winRates, tokens);
  }

  @Override
  public Future<?> start() {
    breakers = new ProviderBreakers(vertx, providers.keySet().stream().filter(n -> !n.equals(OfflineAnalyst.NAME)).toList(), breakerSettings, metrics);
    // every provider's series reads 0 before its first chat or failure
    providers.keySet().forEach(metrics::provider);
    List<String> kinds = java.util.stream.Stream.concat(java.util.Arrays.stream(ai.zmarty.router.providers.ProviderFailure.Kind.values()).map(k -> k.name().toLowerCase(java.util.Locale.ROOT)), java.util.stream.Stream.of("other")).toList();
    providers.keySet().stream().filter(n -> !n.equals(OfflineAnalyst.NAME)).forEach(n -> metrics.errorKinds(n, kinds));
    RouterFailure.registerCodec(vertx);
    log.info("model router providers={}", providers.keySet());
    return Future.join(
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_WATCHLIST_CHANGED, m -> preparer.watchlistChanged(m.body())).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_SIGNAL_CREATED, m -> preparer.signalCreated(m.body())).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_WINRATE_UPDATED, m -> preparer.winRatesUpdated(m.body())).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.MODEL_CHAT, this::chat).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.MODEL_ESTIMATE, this::estimate).completion(),
        listen());
  }

  /**
   * LISTENs on database A for {@link #WATCHLIST_CHANNEL} (migration 20260113000100): each user's
   * pairs are then kept until a change to them is heard. A lost connection is tried again every
   * second; until it LISTENs again the pairs are kept only {@link WatchedPairs#TTL}, and after it
   * they are all read again. Not fatal when it cannot LISTEN at all (a pooler in transaction mode).
   */
  private Future<Void> listen() {
    if (listenOn == null) {
      return Future.succeededFuture();
    }
    subscriber = PgSubscriber.subscriber(vertx, listenOn).reconnectPolicy(retries -> {
      // asked when the connection is lost and after each failed attempt: nothing is heard meanwhile
      preparer.watchlistsHeard(false);
      return 1_000L;
    });
    subscriber.channel(WATCHLIST_CHANNEL).subscribeHandler(v -> preparer.watchlistsHeard(true)).handler(preparer::watchlistChanged);
    return subscriber.connect()
        .onSuccess(v -> log.info("model router listening on {}: each user's pairs kept until they change", WATCHLIST_CHANNEL))
        .recover(err -> {
          log.warn("model router cannot LISTEN {} ({}): each user's pairs are read again after {} s", WATCHLIST_CHANNEL, err.getMessage(), WatchedPairs.TTL.toSeconds());
          return Future.succeededFuture();
        });
  }

  /** Answers in flight stop; each is charged for what was produced (or its hold released) before the breakers close. */
  @Override
  public Future<?> stop() {
    List<Future<Void>> ends = streaming.stream().map(s -> {
      s.cancel();
      return s.ended();
    }).toList();
    if (!ends.isEmpty()) {
      log.info("model router stopping: ending {} answers in flight", ends.size());
    }
    return Future.join(ends).timeout(DRAIN_MS, java.util.concurrent.TimeUnit.MILLISECONDS).recover(e -> {
      log.warn("model router stopped with answers still settling: {}", e.getMessage());
      return Future.succeededFuture();
    }).onComplete(v -> breakers.close()).eventually(() -> subscriber == null ? Future.succeededFuture() : subscriber.close());
  }

  /** The providers to try for this message now; fails with UNAVAILABLE when every one is open. */
  private Future<List<String>> candidates(String message) {
    Set<String> open = breakers.open();
    List<String> c = policy.candidates(message, open);
    if (c.isEmpty()) {
      long retry = FallbackChain.retryAfterSeconds(List.of(), breakers.reset());
      return Future.failedFuture(new RouterFailure(RouterFailure.Reason.EVERY_BREAKER_OPEN, List.of(), retry,
          "every model provider is failing (circuit open: " + String.join(", ", open) + "); retry after " + retry + " s"));
    }
    return Future.succeededFuture(c);
  }

  private void estimate(Message<JsonObject> msg) {
    Replies.reply(
        msg,
        preparer.prepare(msg.body())
            .compose(p -> candidates(p.message()).compose(c -> vertx.eventBus().<JsonObject>request(Addresses.CREDIT_ESTIMATE, new JsonObject().put("user_id", p.user().toString()).put("providers", new JsonArray(c)).put("input_tokens", p.inputTokens()))))
            .map(Message::body));
  }

  private void chat(Message<JsonObject> msg) {
    JsonObject body = msg.body();
    long started = System.nanoTime();
    String requestId;
    String streamAddress;
    try {
      requestId = Replies.required(body, "request_id");
      streamAddress = Replies.required(body, "stream_address");
    } catch (RuntimeException e) {
      Replies.fail(msg, e);
      return;
    }
    String endpoint = body.getString("endpoint", "/chat");
    JsonObject admit = body.getJsonObject("admit");
    preparer.prepare(body)
        .compose(p -> candidates(p.message()).compose(candidates -> {
          AnswerStream.Request request = new AnswerStream.Request(msg, requestId, streamAddress, endpoint, started, System.nanoTime());
          JsonObject reserve = new JsonObject().put("request_id", requestId).put("user_id", p.user().toString()).put("providers", new JsonArray(candidates)).put("input_tokens", p.inputTokens());
          if (admit != null) {
            reserve.put("admit", admit);
          }
          return vertx.eventBus().<JsonObject>request(Addresses.CREDIT_RESERVE, reserve).map(reply -> new Reserved(request, p, candidates, reply.body()));
        }))
        .onSuccess(reserved -> {
          if (reserved.refusedByLimits()) {
            // nothing was held: the reply says so ({request_id, limits}) and no answer starts
            msg.reply(new JsonObject().put("request_id", requestId).put("limits", reserved.hold().getJsonObject("limits")));
            return;
          }
          AnswerStream answer = new AnswerStream(vertx, providers, breakers, reserved.request(), reserved.prepared(), reserved.candidates(), reserved.hold(), metrics);
          streaming.add(answer);
          answer.ended().onComplete(v -> streaming.remove(answer));
          answer.run();
        })
        .onFailure(err -> {
          metrics.provider(ChatMetrics.NO_PROVIDER).outcome(ErrorCode.of(err) == ErrorCode.PAYMENT_REQUIRED ? ChatMetrics.Outcome.REFUSED_402 : ChatMetrics.Outcome.FAILED);
          fail(msg, err);
        });
  }

  /** What {@code credit.reserve} answered for a prepared chat: its hold, or the limits' refusal (no hold). */
  private record Reserved(AnswerStream.Request request, ChatPreparer.Prepared prepared, List<String> candidates, JsonObject hold) {
    boolean refusedByLimits() {
      JsonObject limits = hold.getJsonObject("limits");
      return limits != null && !"admitted".equals(limits.getString("outcome"));
    }
  }

  private static void fail(Message<JsonObject> msg, Throwable err) {
    if (err instanceof RouterFailure f) {
      msg.reply(f);
    } else {
      Replies.fail(msg, err);
    }
  }
}
