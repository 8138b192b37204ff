package ai.zmarty.admin;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A raw WebSocket to the event-bus bridge ({@code /eventbus/websocket}), speaking its JSON frames. */
public final class BridgeSocket implements AutoCloseable {
  private final WebSocketClient client;
  private final WebSocket ws;
  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  final CompletableFuture<Void> closed = new CompletableFuture<>();

  private BridgeSocket(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    // the bridge's raw WebSocket writes its frames as binary messages
    try {
      ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
      ws.binaryMessageHandler(b -> frames.add(new JsonObject(b)));
      ws.closeHandler(v -> closed.complete(null));
    } catch (IllegalStateException alreadyClosed) {
      // the server closed it between the handshake and here (a refused token in the query)
      closed.complete(null);
    }
    if (ws.isClosed()) {
      closed.complete(null);
    }
  }

  public static BridgeSocket open(Vertx vertx, int port, String query) throws Exception {
    return open(vertx, port, query, Duration.ofSeconds(10));
  }

  /** With a longer {@code handshake} for a node in another process, busy with its first jobs. */
  public static BridgeSocket open(Vertx vertx, int port, String query, Duration handshake) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws = client.connect(port, "127.0.0.1", "/eventbus/websocket" + (query == null ? "" : "?" + query)).await(handshake.toMillis(), TimeUnit.MILLISECONDS);
    return new BridgeSocket(client, ws);
  }

  public static JsonObject bearer(String token) {
    return new JsonObject().put("Authorization", "Bearer " + token);
  }

  public void register(String address, JsonObject headers) {
    frame(new JsonObject().put("type", "register").put("address", address).put("headers", headers));
  }

  void send(String address, Object body, JsonObject headers, String replyAddress) {
    frame(new JsonObject().put("type", "send").put("address", address).put("body", body).put("headers", headers).put("replyAddress", replyAddress));
  }

  void frame(JsonObject frame) {
    ws.writeTextMessage(frame.encode());
  }

  /** The first frame (dropping others) that {@code match}es within {@code timeout}. */
  JsonObject await(Duration timeout, String what, Predicate<JsonObject> match) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      if (f == null) {
        throw new AssertionError("no frame within " + timeout.toMillis() + " ms: " + what);
      }
      if (match.test(f)) {
        return f;
      }
    }
  }

  /** The next rec frame on {@code address} whose body {@code match}es. */
  public JsonObject awaitRec(Duration timeout, String address, Predicate<JsonObject> match) throws InterruptedException {
    return await(timeout, "rec on " + address, f -> "rec".equals(f.getString("type")) && address.equals(f.getString("address")) && f.getValue("body") instanceof JsonObject b && match.test(b)).getJsonObject("body");
  }

  public boolean closedWithin(Duration timeout) {
    try {
      closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      ws.close();
    }
    client.close();
  }
}
