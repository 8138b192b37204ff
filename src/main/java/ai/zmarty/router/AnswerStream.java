package ai.zmarty.router;

import static net.logstash.logback.argument.StructuredArguments.kv;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.metrics.ChatMetrics;
import ai.zmarty.router.providers.ProviderFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.logstash.logback.argument.StructuredArgument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One answer after its hold: tries the candidates as {@link FallbackChain} decides, relays text to
 * the stream address, then settles (charge for what was produced) or releases the hold, and sends
 * the closing {@link StreamEvent}. {@link #ended()} completes once the hold is settled or released.
 */
final class AnswerStream {
  private static final Logger log = LoggerFactory.getLogger(AnswerStream.class);

  /** What one chat request brought: ids, where to stream, and when it arrived and was prepared. */
  record Request(Message<JsonObject> message, String requestId, String streamAddress, String endpoint, long startedAt, long preparedAt) {}

  private final Vertx vertx;
  private final Map<String, ModelProvider> providers;
  private final ProviderBreakers breakers;
  private final Request request;
  private final ChatPreparer.Prepared prepared;
  private final List<String> candidates;
  private final JsonObject hold;
  private final long reservedAt = System.nanoTime();
  private final List<RouterFailure.Attempt> attempts = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private final List<Duration> hints = new ArrayList<>();
  private final Promise<Void> cancellation = Promise.promise();
  private final Promise<Void> ended = Promise.promise();
  private volatile boolean cancelled;
  private boolean replied;
  private String answering;
  private long firstTokenAt;
  private long attemptStartedAt;
  private final ChatMetrics metrics;
  private MessageConsumer<Object> cancel;
  /**
   * Text pieces that arrived together (one network read of the provider's stream can carry many)
   * travel as one token event: under load that is one bus message and one write per read, not per piece.
   */
  private final StringBuilder pending = new StringBuilder();
  private boolean flushQueued;
  /**
   * The chat's turn ({session_id, new_session}) when the HTTP layer asked for it to be kept with the
   * settlement, and then everything sent so far (the answer it is kept with); null when not asked.
   */
  private final JsonObject turn;
  private final StringBuilder sent;

  AnswerStream(Vertx vertx, Map<String, ModelProvider> providers, ProviderBreakers breakers, Request request, ChatPreparer.Prepared prepared, List<String> candidates, JsonObject hold, ChatMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.providers = providers;
    this.breakers = breakers;
    this.request = request;
    this.prepared = prepared;
    this.candidates = candidates;
    this.hold = hold;
    this.turn = request.message().body().getJsonObject("turn");
    this.sent = turn == null ? null : new StringBuilder();
  }

  void run() {
    cancel = vertx.eventBus().consumer(Addresses.chatCancel(request.requestId()), m -> cancel());
    attempt(0);
  }

  /** The client went away or the node is stopping: the provider stops; what was produced is charged. */
  void cancel() {
    cancelled = true;
    cancellation.tryComplete();
  }

  /** Completes when the hold has been settled or released. */
  Future<Void> ended() {
    return ended.future();
  }

  private void attempt(int from) {
    FallbackChain.Step step = FallbackChain.next(candidates, from, breakers.open(), replied, cancelled);
    if (!(step instanceof FallbackChain.Next next)) {
      giveUp();
      return;
    }
    String name = next.provider();
    ModelProvider.Call call = new ModelProvider.Call(request.requestId(), prepared.prompt(), prepared.context(), hold.getInteger("max_tokens"), prepared.inputTokens(), cancellation.future());
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
    attemptStartedAt = System.nanoTime();
    breakers.<ModelProvider.Usage>execute(name, () -> providers.get(name).stream(call, sink)).onComplete(ar -> {
      if (ar.succeeded()) {
        accept(name);
        finish(ar.result(), null, null);
      } else if (replied) {
        // output reached the client: no fallback, charge what was produced
        if (ar.cause() instanceof ModelProvider.PartialFailure pf && pf.usage().outputTokens() > 0) {
          finish(pf.usage(), pf.getMessage(), kind(pf));
        } else {
          finishUnbilled(ar.cause());
        }
      } else {
        failedBeforeOutput(name, ar.cause());
        attempt(next.index() + 1);
      }
    });
  }

  private void failedBeforeOutput(String name, Throwable cause) {
    ProviderFailure pf = cause instanceof ProviderFailure f ? f : cause.getCause() instanceof ProviderFailure f ? f : null;
    attempts.add(new RouterFailure.Attempt(name, kind(cause)));
    metrics.providerError(name, kind(cause));
    failures.add(name + " (" + cause.getMessage() + ")");
    if (pf != null) {
      pf.retryAfter().ifPresent(hints::add);
    }
    log.warn("provider failed before output, trying the next " + ChatLog.PATTERN + " {}: {}", ChatLog.with(fields(name, 0, 0, 0), kv("kind", attempts.getLast().kind()), cause.getMessage()));
  }

  private StructuredArgument[] fields(String provider, long in, long out, long charged) {
    return ChatLog.fields(request.endpoint(), prepared.user(), request.requestId(), provider, ChatLog.ms(System.nanoTime() - request.startedAt()), in, out, charged);
  }

  /** The first output (or a finished empty answer) fixes the provider and answers the request. */
  private void accept(String name) {
    if (!replied) {
      replied = true;
      answering = name;
      firstTokenAt = System.nanoTime();
      // the gateway's share of the first token: all of it for the offline analyst, else minus the provider's own wait
      metrics.provider(name).firstToken(firstTokenAt - request.startedAt(), name.equals(OfflineAnalyst.NAME) ? 0 : firstTokenAt - attemptStartedAt);
      JsonObject accepted = new JsonObject().put("request_id", request.requestId()).put("provider", name).put("reserved", hold.getLong("amount")).put("max_tokens", hold.getInteger("max_tokens"));
      if (hold.containsKey("limits")) {
        accepted.put("limits", hold.getJsonObject("limits"));
      }
      request.message().reply(accepted);
    }
  }

  private void giveUp() {
    cancel.unregister();
    release().onComplete(ar -> {
      boolean allOpen = attempts.isEmpty() && !cancelled;
      RouterFailure.Reason reason = cancelled ? RouterFailure.Reason.CLIENT_GONE : allOpen ? RouterFailure.Reason.EVERY_BREAKER_OPEN : RouterFailure.Reason.EVERY_PROVIDER_FAILED;
      long retry = FallbackChain.retryAfterSeconds(hints, breakers.reset());
      String why = cancelled ? "the client went away before any answer"
          : allOpen ? "every model provider is failing (circuit open: " + String.join(", ", candidates) + ")"
          : "every model provider failed before answering: " + String.join("; ", failures);
      metrics.provider(ChatMetrics.NO_PROVIDER).outcome(cancelled ? ChatMetrics.Outcome.CANCELLED : ChatMetrics.Outcome.FAILED);
      log.warn("chat failed before any output " + ChatLog.PATTERN + " tried={}: {}", ChatLog.with(fields(null, prepared.inputTokens(), 0, 0), failures.size(), why));
      request.message().reply(new RouterFailure(reason, attempts, retry, why + "; nothing was charged; retry after " + retry + " s"));
      ended.tryComplete();
    });
  }

  private Future<?> release() {
    return vertx.eventBus().request(Addresses.CREDIT_RELEASE, new JsonObject().put("request_id", request.requestId()).put("user_id", prepared.user().toString()));
  }

  /** The kind of a provider failure in lower case ({@code idle_timeout}, …), {@code other} when it is not one. */
  static String kind(Throwable cause) {
    ProviderFailure pf = cause instanceof ProviderFailure f ? f : cause.getCause() instanceof ProviderFailure f ? f : null;
    return pf == null ? "other" : pf.kind().name().toLowerCase(java.util.Locale.ROOT);
  }

  private void finish(ModelProvider.Usage usage, String error, String kind) {
    cancel.unregister();
    long settling = System.nanoTime();
    JsonObject settle = new JsonObject().put("request_id", request.requestId()).put("user_id", prepared.user().toString()).put("provider", answering)
        .put("input_tokens", usage.inputTokens()).put("output_tokens", usage.outputTokens()).put("estimated", usage.estimated());
    if (turn != null) {
      flush(); // what is kept is what was sent
      settle.put("turn", turn.copy().put("question", prepared.message()).put("answer", sent.toString()));
    }
    vertx.eventBus().<JsonObject>request(Addresses.CREDIT_SETTLE, settle).onComplete(ar -> {
      if (ar.failed()) {
        metrics.provider(answering).outcome(ChatMetrics.Outcome.FAILED);
        log.error("settling failed " + ChatLog.PATTERN + ": {}", ChatLog.with(fields(answering, usage.inputTokens(), usage.outputTokens(), 0), ar.cause().getMessage()));
        // nothing was charged (nor, with a turn, stored): the hold goes back now rather than at its expiry
        String why = turn == null ? "the answer could not be billed; it was not charged" : "the answer could not be stored or billed; it was not charged";
        release().onComplete(r -> send(new StreamEvent.Failed(ErrorCode.of(ar.cause()).wire(), null, null, why, null, 0, null)));
        return;
      }
      JsonObject s = ar.result().body();
      long charged = s.getLong("charged");
      long now = System.nanoTime();
      if (error != null) {
        metrics.providerError(answering, kind);
      }
      metrics.provider(answering).settled(error != null ? ChatMetrics.Outcome.FAILED : cancelled ? ChatMetrics.Outcome.CANCELLED : ChatMetrics.Outcome.ANSWERED,
          now - request.startedAt(), usage.inputTokens(), usage.outputTokens(), charged);
      log.info("chat answered " + ChatLog.PATTERN + " {} {} {} {} {} {} {}", ChatLog.with(fields(answering, usage.inputTokens(), usage.outputTokens(), charged),
          kv("estimated", usage.estimated()), kv("prepare_ms", ChatLog.ms(request.preparedAt() - request.startedAt())),
          kv("reserve_ms", ChatLog.ms(reservedAt - request.preparedAt())), kv("first_token_ms", ChatLog.ms(firstTokenAt - reservedAt)),
          kv("settle_ms", ChatLog.ms(now - settling)), kv("fallbacks", failures.size()),
          kv("cancelled", cancelled)));
      StreamEvent.Usage billed = StreamEvent.Usage.of(usage);
      StreamEvent last = error != null
          ? new StreamEvent.Failed("provider_failed", kind, answering, error, billed, charged, s.getLong("balance"))
          : new StreamEvent.Done(request.requestId(), answering, billed, charged, s.getLong("balance"), cancelled, hold.getLong("amount"), hold.getInteger("max_tokens"));
      send(turn == null ? last.toJson() : last.toJson().put(StreamEvent.TURN_STORED, s.getBoolean("turn_stored", false)).put(StreamEvent.SLOT_ENDED, s.getBoolean("slot_ended", false)));
    });
  }

  /** A failure after output with nothing billable reported: the hold goes back. */
  private void finishUnbilled(Throwable cause) {
    cancel.unregister();
    metrics.providerError(answering, kind(cause));
    metrics.provider(answering).outcome(ChatMetrics.Outcome.FAILED);
    log.warn("chat failed after output " + ChatLog.PATTERN + ": {}", ChatLog.with(fields(answering, prepared.inputTokens(), 0, 0), cause.getMessage()));
    release().onComplete(ar -> send(new StreamEvent.Failed("provider_failed", kind(cause), answering, String.valueOf(cause.getMessage()), null, 0, null)));
  }

  /** The text that arrived since the last flush, as one token event. */
  private void flush() {
    flushQueued = false;
    if (!pending.isEmpty()) {
      if (sent != null) {
        sent.append(pending);
      }
      vertx.eventBus().send(request.streamAddress(), pending.toString());
      pending.setLength(0);
    }
  }

  private void send(StreamEvent event) {
    send(event.toJson());
  }

  private void send(JsonObject event) {
    flush();
    vertx.eventBus().send(request.streamAddress(), event);
    ended.tryComplete();
  }
}
