package ai.zmarty.voice;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Spoken answers under {@code ZMARTY_DATA_DIR/audio} on this node ({@code VOICE_STORE=file}): only this node serves them. */
final class FileAudioCache implements AudioCache {
  private static final Logger log = LoggerFactory.getLogger(FileAudioCache.class);

  private final Vertx vertx;
  private final AudioStore store;
  private final long maxBytes;

  FileAudioCache(Vertx vertx, AudioStore store, long maxBytes) {
    this.vertx = vertx;
    this.store = store;
    this.maxBytes = maxBytes;
  }

  @Override
  public Future<Boolean> contains(String hash) {
    return vertx.fileSystem().exists(store.file(hash).toString());
  }

  /** Written aside, then moved into place: a reader never sees half a file. */
  @Override
  public Future<Void> put(String hash, Buffer audio) {
    FileSystem fs = vertx.fileSystem();
    String tmp = store.dir().resolve(hash + "." + UUID.randomUUID() + ".tmp").toString();
    return fs.mkdirs(store.dir().toString())
        .compose(v -> fs.writeFile(tmp, audio))
        .compose(v -> fs.move(tmp, store.file(hash).toString(), new CopyOptions().setReplaceExisting(true).setAtomicMove(true)))
        .onSuccess(v -> prune());
  }

  @Override
  public Future<Optional<Buffer>> get(String hash) {
    String file = store.file(hash).toString();
    return vertx.fileSystem().readFile(file).map(Optional::of).recover(err -> Future.succeededFuture(Optional.empty()));
  }

  /** Keeps the folder under its cap, off the event loop. */
  private void prune() {
    vertx.executeBlocking(() -> store.prune(maxBytes), false)
        .onSuccess(removed -> {
          if (removed > 0) {
            log.info("audio cache pruned files_removed={} max_bytes={}", removed, maxBytes);
          }
        })
        .onFailure(e -> log.warn("audio cache prune failed: {}", e.toString()));
  }
}
