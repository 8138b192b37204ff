package ai.zmarty.voice;

import ai.zmarty.config.ZmartyConfig.VoiceConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where spoken answers are kept, by {@link AudioStore#hash} (voice, model, text), bounded by
 * {@code VOICE_CACHE_MAX_MB}: in database A ({@code VOICE_STORE=database}, the default, so any API
 * node serves any answer's audio) or on this node's disk ({@code file}).
 */
public interface AudioCache {
  Future<Boolean> contains(String hash);

  /** Keeps {@code audio} under {@code hash}, then trims the cache to its cap (the caller does not wait for that). */
  Future<Void> put(String hash, Buffer audio);

  /** The audio, or empty when it is not (or no longer) kept. */
  Future<Optional<Buffer>> get(String hash);

  /** The store {@code config} names. */
  static AudioCache of(Vertx vertx, VoiceConfig config, Pool chat, Path dataDir) {
    long maxBytes = config.cacheMaxMb() * 1024L * 1024L;
    return switch (config.store()) {
      case DATABASE -> new DatabaseAudioCache(chat, maxBytes);
      case FILE -> new FileAudioCache(vertx, new AudioStore(dataDir), maxBytes);
    };
  }
}
