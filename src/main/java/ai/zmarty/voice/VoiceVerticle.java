package ai.zmarty.voice;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.Replies;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * The voice service on the bus, {@code voice.speak}: {request_id, user_id, text, balance?} →
 * {audio_url, voice_characters, voice_credits_charged, audio_cached[, audio_error]}.
 */
public final class VoiceVerticle extends VerticleBase {
  private final VoiceService voice;

  public VoiceVerticle(VoiceService voice) {
    this.voice = voice;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.VOICE_SPEAK, this::speak).completion();
  }

  private void speak(Message<JsonObject> msg) {
    Future<JsonObject> result;
    try {
      JsonObject b = msg.body();
      result = voice.speak(Replies.required(b, "request_id"), UUID.fromString(Replies.required(b, "user_id")), b.getString("text"), b.getLong("balance"));
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    Replies.reply(msg, result);
  }
}
