package ai.zmarty.router;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.bus.Replies;
import ai.zmarty.router.providers.ProviderFailure;
import ai.zmarty.signal.SignalQueries;
import ai.zmarty.watchlist.Watchlist;
import ai.zmarty.winrate.WinRateQueries;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers chats on {@code model.chat}: builds the prompt from the user's data, picks the providers
 * to try ({@link RoutingPolicy}, skipping open circuit breakers), reserves the worst case at the
 * priciest of them (402 before any model call), then tries them in order. The first token decides:
 * the reply "accepted" names the provider that produced it, and from then on there is no fallback —
 * a failure ends the stream with an {@code error} event and a charge for what was produced. When
 * every provider fails before output, the hold is released and the request fails with UNAVAILABLE.
 *
 * <p>Request {request_id, user_id, message, stream_address, history?: [{role, content}]}; reply {request_id, provider,
 * reserved, max_tokens}. Stream messages: a String is answer text (what arrived together, in order;
 * no JSON wrapper, as it is the hot path), then one JsonObject {type: done, provider, usage,
 * credits_charged, balance, reserved, max_tokens}, {type: error, error, message, credits_charged}.
 */
public final class ModelRouterVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ModelRouterVerticle.class);

  /** When a provider's breaker opens and probes again. */
  public record Breakers(int maxFailures, Duration reset) {}

  private final Map<String, ModelProvider> providers = new LinkedHashMap<>();
  private final RoutingPolicy policy;
  private final Breakers breakerSettings;
  private final Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
  private final Watchlist watchlist;
  private final SignalQueries signals;
  private final WinRateQueries winRates;
  private final TokenCounter tokens;

  /**
   * {@code real}: the providers that have a key, each behind its own breaker; {@code offline}
   * answers only when there is none.
   */
  public ModelRouterVerticle(ModelProvider offline, List<ModelProvider> real, Breakers breakers, Watchlist watchlist, SignalQueries signals, WinRateQueries winRates, TokenCounter tokens) {
    providers.put(offline.name(), offline);
    real.forEach(p -> providers.put(p.name(), p));
    this.policy = new RoutingPolicy(real.stream().map(ModelProvider::name).toList());
    this.breakerSettings = breakers;
    this.watchlist = watchlist;
    this.signals = signals;
    this.winRates = winRates;
    this.tokens = tokens;
  }

  @Override
  public Future<?> start() {
    for (String name : providers.keySet()) {
      if (!name.equals(OfflineAnalyst.NAME)) {
        CircuitBreaker b = CircuitBreaker.create("provider-" + name, vertx, new CircuitBreakerOptions()
            .setMaxFailures(breakerSettings.maxFailures())
            .setResetTimeout(breakerSettings.reset().toMillis())
            .setTimeout(-1) // the adapters time out themselves (connect, first byte, idle)
            .setMaxRetries(0)
            .setNotificationAddress(null));
        // a request the provider refuses as malformed says nothing about its health
        // (nor does a client going away)
        b.<ModelProvider.Usage>failurePolicy(f -> f.failed() && !(f.cause() instanceof ProviderFailure pf && (pf.kind() == ProviderFailure.Kind.BAD_REQUEST || pf.kind() == ProviderFailure.Kind.CANCELLED)));
        b.openHandler(v -> log.warn("circuit breaker open provider={}", name)).halfOpenHandler(v -> log.info("circuit breaker half-open provider={}", name)).closeHandler(v -> log.info("circuit breaker closed provider={}", name));
        breakers.put(name, b);
      }
    }
    log.info("model router providers={}", providers.keySet());
    return Future.join(
        vertx.eventBus().<JsonObject>consumer(Addresses.MODEL_CHAT, this::chat).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.MODEL_ESTIMATE, this::estimate).completion());
  }

  @Override
  public Future<?> stop() {
    breakers.values().forEach(CircuitBreaker::close);
    return Future.succeededFuture();
  }

  private record Prepared(UUID user, String message, Prompt prompt, ChatContext context, long inputTokens) {}

  private Future<Prepared> prepare(JsonObject body) {
    UUID user = UUID.fromString(Replies.required(body, "user_id"));
    String message = Replies.required(body, "message");
    return watchlist
        .pairsOf(user)
        .compose(pairs -> Future.all(signals.latest(pairs, 1), winRates.forPairs(pairs))
            .map(all -> new ChatContext(pairs, all.resultAt(0), all.resultAt(1))))
        .map(context -> {
          Prompt prompt = PromptBuilder.build(context, history(body), message);
          return new Prepared(user, message, prompt, context, tokens.count(prompt));
        });
  }

  /** The session's earlier messages the HTTP layer sent along ({@code history: [{role, content}]}). */
  private static List<PromptBuilder.Turn> history(JsonObject body) {
    JsonArray history = body.getJsonArray("history");
    List<PromptBuilder.Turn> out = new ArrayList<>();
    if (history != null) {
      for (Object o : history) {
        if (o instanceof JsonObject m && m.getString("content") != null) {
          out.add(new PromptBuilder.Turn(m.getString("role", "user"), m.getString("content")));
        }
      }
    }
    return out;
  }

  /** The providers to try for this message now; fails with UNAVAILABLE when every one is open. */
  private Future<List<String>> candidates(String message) {
    Set<String> open = breakers.entrySet().stream().filter(e -> e.getValue().state() == CircuitBreakerState.OPEN).map(Map.Entry::getKey).collect(Collectors.toSet());
    List<String> c = policy.candidates(message, open);
    if (c.isEmpty()) {
      return Future.failedFuture(ErrorCode.UNAVAILABLE.exception("every model provider is failing (circuit open: " + String.join(", ", open) + "); retry after " + retrySeconds(null) + " s"));
    }
    return Future.succeededFuture(c);
  }

  private long retrySeconds(Duration hint) {
    Duration d = hint != null ? hint : breakerSettings.reset();
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }

  private void estimate(Message<JsonObject> msg) {
    Replies.reply(
        msg,
        prepare(msg.body())
            .compose(p -> candidates(p.message()).compose(c -> vertx.eventBus().<JsonObject>request(Addresses.CREDIT_ESTIMATE, new JsonObject().put("user_id", p.user().toString()).put("providers", new JsonArray(c)).put("input_tokens", p.inputTokens()))))
            .map(Message::body));
  }

  private void chat(Message<JsonObject> msg) {
    JsonObject body = msg.body();
    String requestId;
    String streamAddress;
    try {
      requestId = Replies.required(body, "request_id");
      streamAddress = Replies.required(body, "stream_address");
    } catch (RuntimeException e) {
      Replies.fail(msg, e);
      return;
    }
    EventBus bus = vertx.eventBus();
    long started = System.nanoTime();
    prepare(body)
        .compose(p -> candidates(p.message()).compose(candidates -> {
          long preparedAt = System.nanoTime();
          return bus.<JsonObject>request(Addresses.CREDIT_RESERVE, new JsonObject().put("request_id", requestId).put("user_id", p.user().toString()).put("providers", new JsonArray(candidates)).put("input_tokens", p.inputTokens()))
            .map(reply -> new Streaming(msg, p, candidates, reply.body(), requestId, streamAddress, started, preparedAt));
        }))
        .onSuccess(Streaming::run)
        .onFailure(err -> Replies.fail(msg, err));
  }

  /** Milliseconds to a tenth, for the log. */
  private static double ms(long nanos) {
    return Math.round(nanos / 100_000.0) / 10.0;
  }

  /** One answer: the providers still to try, then the one that answered. */
  private final class Streaming {
    private final Message<JsonObject> request;
    private final Prepared prepared;
    private final List<String> candidates;
    private final JsonObject hold;
    private final String requestId;
    private final String streamAddress;
    private final long started;
    private final long preparedAt;
    private final long reservedAt = System.nanoTime();
    private long firstTokenAt;
    private final List<String> failures = new ArrayList<>();
    private Duration retryHint;
    private volatile boolean cancelled;
    private final io.vertx.core.Promise<Void> cancellation = io.vertx.core.Promise.promise();
    private boolean replied;
    private String answering;
    private MessageConsumer<Object> cancel;
    /**
     * Text pieces that arrived together (one network read of the provider's stream can carry many)
     * travel as one token event: under load that is one bus message and one write per read, not per piece.
     */
    private final StringBuilder pending = new StringBuilder();
    private boolean flushQueued;

    Streaming(Message<JsonObject> request, Prepared prepared, List<String> candidates, JsonObject hold, String requestId, String streamAddress, long started, long preparedAt) {
      this.request = request;
      this.prepared = prepared;
      this.candidates = candidates;
      this.hold = hold;
      this.requestId = requestId;
      this.streamAddress = streamAddress;
      this.started = started;
      this.preparedAt = preparedAt;
    }

    void run() {
      cancel = vertx.eventBus().consumer(Addresses.chatCancel(requestId), m -> {
        cancelled = true;
        cancellation.tryComplete();
      });
      attempt(0);
    }

    private void attempt(int i) {
      if (i >= candidates.size() || (cancelled && !replied)) {
        giveUp();
        return;
      }
      String name = candidates.get(i);
      ModelProvider provider = providers.get(name);
      CircuitBreaker breaker = breakers.get(name);
      ModelProvider.Call call = new ModelProvider.Call(requestId, prepared.prompt(), prepared.context(), hold.getInteger("max_tokens"), prepared.inputTokens(), cancellation.future());
      ModelProvider.TokenSink sink = text -> {
        if (cancelled) {
          return false;
        }
        accept(name);
        pending.append(text);
        if (!flushQueued) {
          flushQueued = true;
          vertx.runOnContext(v -> flush());
        }
        return true;
      };
      Future<ModelProvider.Usage> answer = breaker == null ? provider.stream(call, sink) : breaker.execute(() -> provider.stream(call, sink));
      answer.onComplete(ar -> {
        if (ar.succeeded()) {
          accept(name);
          finish(ar.result(), null);
        } else if (replied) {
          // output reached the client: no fallback, charge what was produced
          if (ar.cause() instanceof ModelProvider.PartialFailure pf && pf.usage().outputTokens() > 0) {
            finish(pf.usage(), pf.getMessage());
          } else {
            finishUnbilled(ar.cause());
          }
        } else {
          Throwable cause = ar.cause();
          failures.add(name + " (" + cause.getMessage() + ")");
          ProviderFailure pf = cause instanceof ProviderFailure f ? f : cause.getCause() instanceof ProviderFailure f ? f : null;
          if (pf != null && pf.retryAfter().isPresent() && (retryHint == null || pf.retryAfter().get().compareTo(retryHint) < 0)) {
            retryHint = pf.retryAfter().get();
          }
          log.warn("provider failed before output, trying the next request_id={} provider={} next={}: {}", requestId, name, i + 1 < candidates.size() ? candidates.get(i + 1) : "none", cause.getMessage());
          attempt(i + 1);
        }
      });
    }

    /** The first output (or a finished empty answer) fixes the provider and answers the request. */
    private void accept(String name) {
      if (!replied) {
        replied = true;
        answering = name;
        firstTokenAt = System.nanoTime();
        request.reply(new JsonObject().put("request_id", requestId).put("provider", name).put("reserved", hold.getLong("amount")).put("max_tokens", hold.getInteger("max_tokens")));
      }
    }

    private void giveUp() {
      cancel.unregister();
      vertx.eventBus().request(Addresses.CREDIT_RELEASE, new JsonObject().put("request_id", requestId).put("user_id", prepared.user().toString())).onComplete(ar -> {
        String why = cancelled ? "the client went away before any answer" : "every model provider failed before answering: " + String.join("; ", failures);
        log.warn("chat failed before any output request_id={} tried={}: {}", requestId, failures.size(), why);
        request.fail(ErrorCode.UNAVAILABLE.failureCode(), why + "; nothing was charged; retry after " + retrySeconds(retryHint) + " s");
      });
    }

    private void finish(ModelProvider.Usage usage, String error) {
      cancel.unregister();
      long settling = System.nanoTime();
      JsonObject settle =
          new JsonObject()
              .put("request_id", requestId)
              .put("user_id", prepared.user().toString())
              .put("provider", answering)
              .put("input_tokens", usage.inputTokens())
              .put("output_tokens", usage.outputTokens())
              .put("estimated", usage.estimated());
      vertx.eventBus().<JsonObject>request(Addresses.CREDIT_SETTLE, settle).onComplete(ar -> {
        JsonObject usageJson = new JsonObject().put("input_tokens", usage.inputTokens()).put("output_tokens", usage.outputTokens()).put("estimated", usage.estimated());
        if (ar.failed()) {
          log.error("settling failed request_id={} user_id={}: {}", requestId, prepared.user(), ar.cause().getMessage());
          send(new JsonObject().put("type", "error").put("error", ErrorCode.of(ar.cause()).wire()).put("message", "the answer could not be billed; it was not charged"));
          return;
        }
        JsonObject s = ar.result().body();
        long now = System.nanoTime();
        log.info("chat answered request_id={} user_id={} provider={} tokens_in={} tokens_out={} estimated={} credits_charged={} latency_ms={} prepare_ms={} reserve_ms={} first_token_ms={} settle_ms={} fallbacks={} cancelled={}",
            requestId, prepared.user(), answering, usage.inputTokens(), usage.outputTokens(), usage.estimated(), s.getLong("charged"), ms(now - started), ms(preparedAt - started), ms(reservedAt - preparedAt), ms(firstTokenAt - reservedAt), ms(now - settling), failures.size(), cancelled);
        if (error != null) {
          send(new JsonObject().put("type", "error").put("error", "provider_failed").put("provider", answering).put("message", error).put("usage", usageJson).put("credits_charged", s.getLong("charged")).put("balance", s.getLong("balance")));
        } else {
          send(new JsonObject().put("type", "done").put("request_id", requestId).put("provider", answering).put("usage", usageJson).put("credits_charged", s.getLong("charged")).put("balance", s.getLong("balance")).put("cancelled", cancelled)
              .put("reserved", hold.getLong("amount")).put("max_tokens", hold.getInteger("max_tokens")));
        }
      });
    }

    /** A failure after output with nothing billable reported: the hold goes back. */
    private void finishUnbilled(Throwable cause) {
      cancel.unregister();
      log.warn("chat failed after output request_id={} provider={}: {}", requestId, answering, cause.getMessage());
      vertx.eventBus().request(Addresses.CREDIT_RELEASE, new JsonObject().put("request_id", requestId).put("user_id", prepared.user().toString()))
          .onComplete(ar -> send(new JsonObject().put("type", "error").put("error", "provider_failed").put("provider", answering).put("message", String.valueOf(cause.getMessage())).put("credits_charged", 0)));
    }

    /** The text that arrived since the last flush, as one token event. */
    private void flush() {
      flushQueued = false;
      if (!pending.isEmpty()) {
        vertx.eventBus().send(streamAddress, pending.toString());
        pending.setLength(0);
      }
    }

    private void send(JsonObject event) {
      flush();
      vertx.eventBus().send(streamAddress, event);
    }
  }
}
