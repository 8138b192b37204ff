package ai.zmarty.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * ElevenLabs text-to-speech on localhost: raw {@code audio/mpeg} bytes with {@code x-character-count},
 * or a recorded error ({@code providers/elevenlabs/*.json}, {@code {"detail": {"status", "message"}}}).
 */
public final class FakeElevenLabs {
  /** Some bytes of an MP3 stream (ID3 tag, then a frame header), binary on purpose. */
  public static final Buffer MP3 = Buffer.buffer(new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64, 0x00, (byte) 0x80, 0x7F, (byte) 0xFE});

  public record Reply(int status, Map<String, String> headers, Buffer body) {}

  public record Recorded(String uri, MultiMap headers, JsonObject body) {}

  private final HttpServer server;
  private final Deque<Reply> queue = new ConcurrentLinkedDeque<>();
  public final List<Recorded> requests = new CopyOnWriteArrayList<>();

  private FakeElevenLabs(Vertx vertx) {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      requests.add(new Recorded(req.uri(), req.headers(), body.length() == 0 ? new JsonObject() : body.toJsonObject()));
      Reply r = queue.poll();
      if (r == null) {
        r = error(500, "server_error.json");
      }
      var resp = req.response().setStatusCode(r.status());
      r.headers().forEach(resp::putHeader);
      resp.end(r.body());
    }));
  }

  public static FakeElevenLabs start(Vertx vertx) {
    FakeElevenLabs f = new FakeElevenLabs(vertx);
    f.server.listen(0, "127.0.0.1").await();
    return f;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public FakeElevenLabs then(Reply r) {
    queue.add(r);
    return this;
  }

  public static Reply audio(Buffer mp3, long characters) {
    return new Reply(200, Map.of("content-type", "audio/mpeg", "x-character-count", String.valueOf(characters), "request-id", "fake-req-1"), mp3);
  }

  public static Reply error(int status, String recording) {
    return new Reply(status, Map.of("content-type", "application/json"), Buffer.buffer(FakeProvider.read("elevenlabs/" + recording)));
  }
}
