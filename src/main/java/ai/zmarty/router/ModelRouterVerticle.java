package ai.zmarty.router;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.bus.Replies;
import ai.zmarty.signal.SignalQueries;
import ai.zmarty.watchlist.Watchlist;
import ai.zmarty.winrate.WinRateQueries;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers chats on {@code model.chat}: builds the prompt from the user's data, reserves the worst
 * case with the credit service (402 before any model call), replies "accepted", streams the
 * provider's pieces to the request's stream address, then settles the real charge and sends
 * {@code done} with usage and balance. A failure with no output releases the hold instead.
 *
 * <p>Request {request_id, user_id, message, stream_address}; reply {request_id, provider,
 * reserved, max_tokens}. Stream events: {type: token, text}, {type: done, provider, usage,
 * credits_charged, balance}, {type: error, error, message, credits_charged}.
 */
public final class ModelRouterVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ModelRouterVerticle.class);

  private final ModelProvider provider;
  private final Watchlist watchlist;
  private final SignalQueries signals;
  private final WinRateQueries winRates;
  private final TokenCounter tokens;

  public ModelRouterVerticle(ModelProvider provider, Watchlist watchlist, SignalQueries signals, WinRateQueries winRates, TokenCounter tokens) {
    this.provider = provider;
    this.watchlist = watchlist;
    this.signals = signals;
    this.winRates = winRates;
    this.tokens = tokens;
  }

  @Override
  public Future<?> start() {
    return Future.join(
        vertx.eventBus().<JsonObject>consumer(Addresses.MODEL_CHAT, this::chat).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.MODEL_ESTIMATE, this::estimate).completion());
  }

  private record Prepared(UUID user, Prompt prompt, ChatContext context, long inputTokens) {}

  private Future<Prepared> prepare(JsonObject body) {
    UUID user = UUID.fromString(Replies.required(body, "user_id"));
    String message = Replies.required(body, "message");
    return watchlist
        .pairs(user)
        .compose(pairs -> Future.all(signals.latest(pairs, 1), winRates.forPairs(pairs))
            .map(all -> new ChatContext(pairs, all.resultAt(0), all.resultAt(1))))
        .map(context -> {
          Prompt prompt = PromptBuilder.build(context, message);
          return new Prepared(user, prompt, context, tokens.count(prompt.billedText()));
        });
  }

  private void estimate(Message<JsonObject> msg) {
    Replies.reply(
        msg,
        prepare(msg.body())
            .compose(p -> vertx.eventBus().<JsonObject>request(Addresses.CREDIT_ESTIMATE, new JsonObject().put("user_id", p.user().toString()).put("provider", provider.name()).put("input_tokens", p.inputTokens())))
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
        .compose(p -> bus.<JsonObject>request(Addresses.CREDIT_RESERVE, new JsonObject().put("request_id", requestId).put("user_id", p.user().toString()).put("provider", provider.name()).put("input_tokens", p.inputTokens()))
            .map(reply -> {
              JsonObject hold = reply.body();
              msg.reply(new JsonObject().put("request_id", requestId).put("provider", provider.name()).put("reserved", hold.getLong("amount")).put("max_tokens", hold.getInteger("max_tokens")));
              return new Streaming(p, hold.getInteger("max_tokens"), requestId, streamAddress, started);
            }))
        .onSuccess(Streaming::run)
        .onFailure(err -> Replies.fail(msg, err));
  }

  /** One answer being streamed. */
  private final class Streaming {
    private final Prepared prepared;
    private final int maxTokens;
    private final String requestId;
    private final String streamAddress;
    private final long started;
    private volatile boolean cancelled;
    private MessageConsumer<Object> cancel;

    Streaming(Prepared prepared, int maxTokens, String requestId, String streamAddress, long started) {
      this.prepared = prepared;
      this.maxTokens = maxTokens;
      this.requestId = requestId;
      this.streamAddress = streamAddress;
      this.started = started;
    }

    void run() {
      EventBus bus = vertx.eventBus();
      cancel = bus.consumer(Addresses.chatCancel(requestId), m -> cancelled = true);
      ModelProvider.Call call = new ModelProvider.Call(requestId, prepared.prompt(), prepared.context(), maxTokens, prepared.inputTokens());
      provider
          .stream(call, text -> {
            if (cancelled) {
              return false;
            }
            bus.send(streamAddress, new JsonObject().put("type", "token").put("text", text));
            return true;
          })
          .onComplete(ar -> {
            cancel.unregister();
            if (ar.succeeded()) {
              settle(ar.result(), null);
            } else if (ar.cause() instanceof ModelProvider.PartialFailure pf && pf.usage().outputTokens() > 0) {
              settle(pf.usage(), pf.getMessage());
            } else {
              release(ar.cause());
            }
          });
    }

    private void settle(ModelProvider.Usage usage, String error) {
      JsonObject request =
          new JsonObject()
              .put("request_id", requestId)
              .put("user_id", prepared.user().toString())
              .put("provider", provider.name())
              .put("input_tokens", usage.inputTokens())
              .put("output_tokens", usage.outputTokens())
              .put("estimated", usage.estimated());
      vertx.eventBus().<JsonObject>request(Addresses.CREDIT_SETTLE, request).onComplete(ar -> {
        JsonObject usageJson = new JsonObject().put("input_tokens", usage.inputTokens()).put("output_tokens", usage.outputTokens()).put("estimated", usage.estimated());
        if (ar.failed()) {
          log.error("settling failed request_id={} user_id={}: {}", requestId, prepared.user(), ar.cause().getMessage());
          send(new JsonObject().put("type", "error").put("error", ErrorCode.of(ar.cause()).wire()).put("message", "the answer could not be billed; it was not charged"));
          return;
        }
        JsonObject s = ar.result().body();
        long latency = (System.nanoTime() - started) / 1_000_000;
        log.info("chat answered request_id={} user_id={} provider={} tokens_in={} tokens_out={} credits_charged={} latency_ms={} cancelled={}",
            requestId, prepared.user(), provider.name(), usage.inputTokens(), usage.outputTokens(), s.getLong("charged"), latency, cancelled);
        if (error != null) {
          send(new JsonObject().put("type", "error").put("error", "provider_failed").put("message", error).put("usage", usageJson).put("credits_charged", s.getLong("charged")).put("balance", s.getLong("balance")));
        } else {
          send(new JsonObject().put("type", "done").put("request_id", requestId).put("provider", provider.name()).put("usage", usageJson).put("credits_charged", s.getLong("charged")).put("balance", s.getLong("balance")).put("cancelled", cancelled));
        }
      });
    }

    private void release(Throwable cause) {
      log.warn("chat failed before any output request_id={} provider={}: {}", requestId, provider.name(), cause.getMessage());
      vertx.eventBus().request(Addresses.CREDIT_RELEASE, new JsonObject().put("request_id", requestId).put("user_id", prepared.user().toString()))
          .onComplete(ar -> send(new JsonObject().put("type", "error").put("error", ErrorCode.UNAVAILABLE.wire()).put("message", "the model failed before answering; nothing was charged").put("credits_charged", 0)));
    }

    private void send(JsonObject event) {
      vertx.eventBus().send(streamAddress, event);
    }
  }
}
