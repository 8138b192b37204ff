package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.voice.AudioCache;
import ai.zmarty.voice.AudioStore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /audio/<hash>.mp3}: a spoken answer from the audio cache (database A by default, so
 * any API node serves it). Public, like a CDN link: an
 * {@code <audio>} element sends no bearer token, and the name is a SHA-256 nobody guesses.
 */
final class AudioRoutes {
  private final AudioCache store;

  AudioRoutes(AudioCache store) {
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
    store.get(hash).onComplete(ar -> {
      if (ar.failed() || ar.result().isEmpty()) {
        Errors.send(rc, ErrorCode.NOT_FOUND, "no audio " + hash);
        return;
      }
      rc.response().putHeader("content-type", "audio/mpeg").putHeader("cache-control", "public, max-age=31536000, immutable").end(ar.result().get());
    });
  }
}
