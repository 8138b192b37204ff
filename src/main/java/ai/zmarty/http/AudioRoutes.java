package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.voice.AudioStore;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /audio/<hash>.mp3}: a spoken answer from the audio cache. Public, like a CDN link: an
 * {@code <audio>} element sends no bearer token, and the name is a SHA-256 nobody guesses.
 */
final class AudioRoutes {
  private final Vertx vertx;
  private final AudioStore store;

  AudioRoutes(Vertx vertx, AudioStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  void mount(Router router) {
    router.get("/audio/:file").handler(this::audio);
  }

  private void audio(RoutingContext rc) {
    String name = rc.pathParam("file");
    String hash = name.endsWith(".mp3") ? name.substring(0, name.length() - 4) : "";
    if (!AudioStore.isHash(hash)) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "audio is addressed as /audio/<64 hex characters>.mp3");
      return;
    }
    String file = store.file(hash).toString();
    vertx.fileSystem().exists(file).onComplete(ar -> {
      if (ar.failed() || !ar.result()) {
        Errors.send(rc, ErrorCode.NOT_FOUND, "no audio " + hash);
        return;
      }
      rc.response().putHeader("content-type", "audio/mpeg").putHeader("cache-control", "public, max-age=31536000, immutable").sendFile(file)
          .onFailure(err -> {
            if (!rc.response().headWritten()) {
              Errors.send(rc, ErrorCode.NOT_FOUND, "no audio " + hash);
            }
          });
    });
  }
}
