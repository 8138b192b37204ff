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
 * {audio_url, voice_characters, voice_credits_charged, audio_cached[, audio_error]}. Node-local,
 * so the node that answered the chat holds the audio it links to.
 */
public final class VoiceVerticle extends VerticleBase {
  private final VoiceService voice;

  public VoiceVerticle(VoiceService voice) {
    this.voice = voice;
  }

  @Override
  public Future<?> start() {
    // local: the audio file is written on this node's disk, where this node's /audio serves it
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.VOICE_SPEAK, this::speak).completion();
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
