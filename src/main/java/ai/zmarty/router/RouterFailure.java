package ai.zmarty.router;

import ai.zmarty.bus.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a chat could not start, as fields the HTTP layer reads ({@link #retryAfterSeconds()} becomes
 * {@code Retry-After}; {@link #attempts()} names each provider tried and the kind of its failure).
 * The message is for people only: nothing parses it. Travels as the failed reply of
 * {@code model.chat}; across a cluster its codec ({@link #registerCodec}) keeps the fields.
 */
public final class RouterFailure extends ReplyException {
  /** Why the chain stopped before any output. */
  public enum Reason {
    EVERY_PROVIDER_FAILED,
    EVERY_BREAKER_OPEN,
    CLIENT_GONE;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One provider tried and how it failed ({@code kind}: a provider failure kind in lower case, or {@code other}). */
  public record Attempt(String provider, String kind) {}

  private final Reason reason;
  private final List<Attempt> attempts;
  private final long retryAfterSeconds;

  public RouterFailure(Reason reason, List<Attempt> attempts, long retryAfterSeconds, String message) {
    super(ReplyFailure.RECIPIENT_FAILURE, ErrorCode.UNAVAILABLE.failureCode(), message, false);
    this.reason = reason;
    this.attempts = List.copyOf(attempts);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Reason reason() {
    return reason;
  }

  public List<Attempt> attempts() {
    return attempts;
  }

  /** Whole seconds (at least 1) until a retry may succeed. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public JsonObject toJson() {
    JsonArray tried = new JsonArray();
    attempts.forEach(a -> tried.add(new JsonObject().put("provider", a.provider()).put("kind", a.kind())));
    return new JsonObject().put("reason", reason.wire()).put("attempts", tried).put("retry_after_s", retryAfterSeconds).put("message", getMessage());
  }

  public static RouterFailure fromJson(JsonObject json) {
    List<Attempt> tried = new ArrayList<>();
    for (Object o : json.getJsonArray("attempts", new JsonArray())) {
      JsonObject a = (JsonObject) o;
      tried.add(new Attempt(a.getString("provider"), a.getString("kind")));
    }
    return new RouterFailure(Reason.valueOf(json.getString("reason").toUpperCase(java.util.Locale.ROOT)), tried, json.getLong("retry_after_s"), json.getString("message"));
  }

  /** Registers the codec on this Vert.x (once; again is harmless). Every node of a cluster registers it. */
  public static void registerCodec(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(RouterFailure.class, new Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // a second wiring on the same Vert.x (tests)
    }
  }

  static final class Codec implements MessageCodec<RouterFailure, RouterFailure> {
    @Override
    public void encodeToWire(Buffer buffer, RouterFailure f) {
      Buffer json = f.toJson().toBuffer();
      buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public RouterFailure decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      return fromJson(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
    }

    @Override
    public RouterFailure transform(RouterFailure f) {
      return f;
    }

    @Override
    public String name() {
      return "zmarty-router-failure";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
