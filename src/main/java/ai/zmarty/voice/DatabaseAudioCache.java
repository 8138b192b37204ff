package ai.zmarty.voice;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Spoken answers in database A's {@code audio_cache}: every API node serves every answer's audio. */
final class DatabaseAudioCache implements AudioCache {
  private static final Logger log = LoggerFactory.getLogger(DatabaseAudioCache.class);

  private final Pool chat;
  private final long maxBytes;

  DatabaseAudioCache(Pool chat, long maxBytes) {
    this.chat = chat;
    this.maxBytes = maxBytes;
  }

  @Override
  public Future<Boolean> contains(String hash) {
    return chat.preparedQuery(VoiceSql.CONTAINS).execute(Tuple.of(hash)).map(rows -> rows.iterator().next().getBoolean("kept"));
  }

  @Override
  public Future<Void> put(String hash, Buffer audio) {
    return chat.preparedQuery(VoiceSql.PUT).execute(Tuple.of(hash, audio, audio.length())).onSuccess(v -> trim()).mapEmpty();
  }

  @Override
  public Future<Optional<Buffer>> get(String hash) {
    return chat.preparedQuery(VoiceSql.GET).execute(Tuple.of(hash))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getBuffer("audio")));
  }

  private void trim() {
    chat.preparedQuery(VoiceSql.TRIM).execute(Tuple.of(maxBytes))
        .onSuccess(rows -> {
          if (rows.rowCount() > 0) {
            log.info("audio cache trimmed rows_removed={} max_bytes={}", rows.rowCount(), maxBytes);
          }
        })
        .onFailure(e -> log.warn("audio cache trim failed: {}", e.toString()));
  }
}
