package ai.zmarty.voice;

import ai.zmarty.config.ZmartyConfig.VoiceConfig;
import ai.zmarty.credit.CreditLedger;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speaks a finished answer: from the audio cache when the same text was spoken in the same voice
 * before (no call, no charge), else through ElevenLabs, kept in the cache and charged as its own
 * ledger row {@code <request id>:voice}. Never fails: a voice that cannot be produced comes back
 * as {@code audio_url: null} with the reason, and nothing is charged for it.
 *
 * <p>Result: {audio_url, voice_characters, voice_credits_charged, audio_cached[, audio_error]}.
 */
public final class VoiceService {
  private static final Logger log = LoggerFactory.getLogger(VoiceService.class);
  /** ElevenLabs' smallest per-request limit (eleven_multilingual_v2); longer answers are not spoken. */
  static final int MAX_CHARACTERS = 10_000;
  public static final String NOT_CONFIGURED = "voice is not configured";

  private final VoiceConfig config;
  private final ElevenLabsClient client;
  private final AudioCache store;
  private final CreditLedger ledger;

  public VoiceService(VoiceConfig config, ElevenLabsClient client, AudioCache store, CreditLedger ledger) {
    this.config = config;
    this.client = client;
    this.store = store;
    this.ledger = ledger;
  }

  /** {@code balance}: the user's balance after the text answer, when known, to refuse voice that could not be paid. */
  public Future<JsonObject> speak(String requestId, UUID user, String text, Long balance) {
    if (!config.configured()) {
      return Future.succeededFuture(failed(NOT_CONFIGURED));
    }
    if (text == null || text.isBlank()) {
      return Future.succeededFuture(failed("the answer has no text to speak"));
    }
    int characters = text.codePointCount(0, text.length());
    if (characters > MAX_CHARACTERS) {
      return Future.succeededFuture(failed("the answer is " + characters + " characters; voice is limited to " + MAX_CHARACTERS));
    }
    String hash = AudioStore.hash(config.voiceId(), config.model(), text);
    return store.contains(hash).compose(cached -> {
      if (cached) {
        return Future.succeededFuture(new JsonObject().put("audio_url", AudioStore.url(hash)).put("voice_characters", 0).put("voice_credits_charged", 0).put("audio_cached", true));
      }
      long expected = VoicePricing.credits(characters, config.pricePer1kChars());
      if (balance != null && balance < expected) {
        return Future.succeededFuture(failed("voice would cost about " + expected + " credits and the balance is " + balance));
      }
      return client.speak(text)
          .compose(speech -> store.put(hash, speech.audio()).map(speech))
          .compose(speech -> charge(requestId, user, speech).map(charged -> new JsonObject()
              .put("audio_url", AudioStore.url(hash))
              .put("voice_characters", speech.characters())
              .put("voice_credits_charged", charged)
              .put("audio_cached", false)));
    }).recover(err -> {
      String reason = err instanceof VoiceFailure f ? f.getMessage() : "voice failed: " + err.getMessage();
      log.warn("voice failed request_id={} user_id={} provider=elevenlabs: {}", requestId, user, reason);
      return Future.succeededFuture(failed(reason));
    });
  }

  private Future<Long> charge(String requestId, UUID user, ElevenLabsClient.Speech speech) {
    long credits = VoicePricing.credits(speech.characters(), config.pricePer1kChars());
    JsonObject units = new JsonObject().put("characters", speech.characters()).put("estimated", speech.estimated()).put("voice_id", config.voiceId()).put("model", config.model());
    return ledger.settle(requestId + ":voice", user, credits, "elevenlabs", units, "voice").map(s -> {
      log.info("voice spoken request_id={} user_id={} provider=elevenlabs characters={} credits_charged={}", requestId, user, speech.characters(), s.charged());
      return s.charged();
    });
  }

  private static JsonObject failed(String reason) {
    return new JsonObject().put("audio_url", null).put("audio_error", reason).put("voice_characters", 0).put("voice_credits_charged", 0).put("audio_cached", false);
  }
}
