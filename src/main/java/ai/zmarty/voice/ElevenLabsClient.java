package ai.zmarty.voice;

import ai.zmarty.config.ZmartyConfig.VoiceConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ElevenLabs text-to-speech: {@code POST {base}/v1/text-to-speech/{voice_id}?output_format=mp3_44100_128}
 * answering raw {@code audio/mpeg}, with the billed characters in {@code x-character-count}. A 429
 * that asks to come back (queue full, system busy) is retried once after a backoff; every other
 * error fails with a {@link VoiceFailure} naming ElevenLabs' reason.
 */
public final class ElevenLabsClient {
  private static final Logger log = LoggerFactory.getLogger(ElevenLabsClient.class);

  /** The audio and what ElevenLabs billed for it. */
  public record Speech(Buffer audio, long characters, boolean estimated) {}

  private final Vertx vertx;
  private final VoiceConfig config;
  private final WebClient client;
  private final long timeoutMs;
  private final Duration backoff;

  public ElevenLabsClient(Vertx vertx, VoiceConfig config, Duration connectTimeout, Duration timeout, Duration backoff) {
    this.vertx = vertx;
    this.config = config;
    this.timeoutMs = timeout.toMillis();
    this.backoff = backoff;
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) connectTimeout.toMillis()).setName("elevenlabs").setKeepAlive(true));
  }

  public Future<Speech> speak(String text) {
    return call(text).recover(err -> {
      if (err instanceof VoiceFailure f && f.retryable()) {
        log.warn("elevenlabs busy, retrying once reason={}", f.reason());
        Promise<Speech> retried = Promise.promise();
        vertx.setTimer(Math.max(1, backoff.toMillis()), t -> call(text).onComplete(retried));
        return retried.future();
      }
      return Future.failedFuture(err);
    });
  }

  private Future<Speech> call(String text) {
    JsonObject body = new JsonObject()
        .put("text", text)
        .put("model_id", config.model())
        .put("voice_settings", new JsonObject().put("stability", 0.5).put("similarity_boost", 0.75).put("style", 0.0).put("use_speaker_boost", true).put("speed", 1.0));
    return client.postAbs(config.baseUrl() + "/v1/text-to-speech/" + config.voiceId())
        .addQueryParam("output_format", "mp3_44100_128")
        .putHeader("xi-api-key", config.apiKey().orElse(""))
        .putHeader("accept", "audio/mpeg")
        .timeout(timeoutMs)
        .sendJsonObject(body)
        .recover(err -> Future.failedFuture(err instanceof java.util.concurrent.TimeoutException || String.valueOf(err.getMessage()).contains("timeout")
            ? new VoiceFailure(0, "timeout", "elevenlabs timeout: no answer within " + timeoutMs + " ms")
            : new VoiceFailure(0, "unreachable", "elevenlabs unreachable: " + err.getMessage())))
        .compose(r -> read(r, text));
  }

  private static Future<Speech> read(HttpResponse<Buffer> r, String text) {
    if (r.statusCode() / 100 != 2) {
      return Future.failedFuture(VoiceFailure.fromResponse(r.statusCode(), r.bodyAsString()));
    }
    Buffer audio = r.body();
    if (audio == null || audio.length() == 0) {
      return Future.failedFuture(new VoiceFailure(r.statusCode(), "empty_audio", "elevenlabs answered without audio"));
    }
    try {
      return Future.succeededFuture(new Speech(audio, Long.parseLong(r.getHeader("x-character-count").trim()), false));
    } catch (RuntimeException e) {
      // no (valid) billing header: count what was sent, as ElevenLabs bills it, and say so
      return Future.succeededFuture(new Speech(audio, text.codePointCount(0, text.length()), true));
    }
  }
}
