package ai.zmarty.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A client of the chat API as a user calls it, with a connection pool wide enough for load tests. */
public final class ChatApi {
  private final WebClient client;
  private final int port;

  public ChatApi(Vertx vertx, int port) {
    this.client = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(250));
    this.port = port;
  }

  /**
   * Deploys an API node on {@code dbs} with the offline analyst at {@code offlinePace} per piece and
   * limits wide enough for tests that send many chats, and a client of it.
   */
  public static ChatApi deploy(Vertx vertx, TestDatabases.Pair dbs, String offlinePace) throws Exception {
    return TestNode.api(vertx, dbs, Map.of("OFFLINE_PACE", offlinePace, "MAX_CONCURRENT_STREAMS", "100", "RATE_LIMIT_PER_MINUTE", "1000")).chat();
  }

  public WebClient client() {
    return client;
  }

  public int port() {
    return port;
  }

  /** POST /chat as {@code user}; SSE when {@code sse}, else one JSON body. */
  public Future<HttpResponse<Buffer>> chat(UUID user, String message, boolean sse) {
    var request = client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user));
    if (sse) {
      request.putHeader("Accept", "text/event-stream");
    }
    return request.sendJsonObject(new JsonObject().put("message", message));
  }

  /** The most {@code message} may cost {@code user} (POST /chat/estimate), failing unless 200. */
  public long estimate(UUID user, String message) throws Exception {
    HttpResponse<Buffer> r = client.post(port, "127.0.0.1", "/chat/estimate").putHeader("Authorization", "Bearer " + TestJwt.valid(user))
        .sendJsonObject(new JsonObject().put("message", message)).await(10, TimeUnit.SECONDS);
    if (r.statusCode() != 200) {
      throw new AssertionError("estimate answered " + r.statusCode() + ": " + r.bodyAsString());
    }
    return r.bodyAsJsonObject().getLong("max_credits");
  }
}
