package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.RawWebSocket;
import ai.zmarty.testing.RawWebSocket.Frame;
import ai.zmarty.testing.Scrape;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /ws/decisions} on a real API node: authentication, subscriptions, decisions from the
 * real event bus, pings, the connection cap and slow consumers, spoken to byte by byte.
 */
class DecisionSocketTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String KEY = "zks_publish-test-key-0123456789abcdefghijklmnop";
  private static final String REVOKED = "zks_revoked-test-key-0123456789abcdefghijklmnop";
  private static Vertx vertx;
  private static TestDatabases.Pair dbs;
  private static TestNode node;
  private static TestNode pinging;

  @BeforeAll
  static void node() throws Exception {
    vertx = Vertx.vertx();
    dbs = TestDatabases.migrated();
    Decisions.source(dbs.trading(), "bot1", KEY, false);
    Decisions.source(dbs.trading(), "gone", REVOKED, true);
    // a 16 KB outgoing queue per socket
    node = TestNode.api(vertx, dbs, Map.of("LENS_WS_WRITE_QUEUE_BYTES", "16384"));
    // pings every 200 ms, 1 s without an answer closes; a request deadline shorter than a socket's life
    pinging = TestNode.api(vertx, dbs, Map.of("LENS_WS_PING_INTERVAL", "200ms", "LENS_WS_PONG_TIMEOUT", "1s", "HTTP_REQUEST_TIMEOUT", "1s"));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static RawWebSocket open(String path, Map<String, String> headers) throws Exception {
    RawWebSocket ws = RawWebSocket.connect(node.port(), path, headers);
    assertThat(ws.upgraded()).as(ws.status()).isTrue();
    return ws;
  }

  private static RawWebSocket asUser() throws Exception {
    return asUser(node);
  }

  private static RawWebSocket asUser(TestNode on) throws Exception {
    RawWebSocket ws = RawWebSocket.connect(on.port(), "/ws/decisions", Map.of("Authorization", "Bearer " + TestJwt.valid(UUID.randomUUID())));
    assertThat(ws.upgraded()).as(ws.status()).isTrue();
    assertThat(ws.nextJson(WAIT).getString("type")).isEqualTo("ready");
    return ws;
  }

  private static JsonObject subscribe(RawWebSocket ws, String json) throws Exception {
    ws.sendText(json);
    return ws.nextJson(WAIT);
  }

  private static void publish(JsonObject decision) {
    vertx.eventBus().publish(Addresses.EVENTS_LENS_DECISION, decision);
  }

  @Test
  void aUserTokenOpensTheSocketAndASubscriberReceivesEveryDecision() throws Exception {
    UUID user = UUID.randomUUID();
    try (RawWebSocket ws = open("/ws/decisions", Map.of("Authorization", "Bearer " + TestJwt.valid(user)))) {
      assertThat(ws.nextJson(WAIT)).isEqualTo(new JsonObject().put("type", "ready").put("as", "user:" + user));
      JsonObject ack = subscribe(ws, "{\"op\":\"subscribe\"}");
      assertThat(ack.getString("type")).isEqualTo("subscribed");
      assertThat(ack.getJsonObject("filter")).isEqualTo(new JsonObject().put("models", new JsonArray()).put("symbols", new JsonArray()).put("event_types", new JsonArray()));
      JsonObject decision = Decisions.decision("gpt", "BTC/USDT", "OPEN_SIGNAL");
      publish(decision);
      assertThat(ws.nextJson(WAIT)).isEqualTo(new JsonObject().put("type", "decision").put("data", decision));
    }
  }

  @Test
  void aSourceKeyOrAQueryTokenOpensTheSocketToo() throws Exception {
    try (RawWebSocket ws = open("/ws/decisions", Map.of("X-API-Key", KEY))) {
      assertThat(ws.nextJson(WAIT)).isEqualTo(new JsonObject().put("type", "ready").put("as", "source:bot1"));
    }
    UUID user = UUID.randomUUID();
    try (RawWebSocket ws = open("/ws/decisions?token=" + TestJwt.valid(user), Map.of())) {
      assertThat(ws.nextJson(WAIT)).isEqualTo(new JsonObject().put("type", "ready").put("as", "user:" + user));
    }
  }

  @Test
  void withoutValidCredentialsTheSocketIsClosedWith4401() throws Exception {
    List<Map<String, String>> refused = List.of(
        Map.of(),
        Map.of("Authorization", "Bearer not-a-jwt"),
        Map.of("Authorization", "Bearer " + TestJwt.hs256("another-secret-another-secret-0123456789", TestJwt.claims(UUID.randomUUID()))),
        Map.of("X-API-Key", "zks_unknown-key-000000000000000000000000000000"),
        Map.of("X-API-Key", REVOKED));
    for (Map<String, String> headers : refused) {
      try (RawWebSocket ws = open("/ws/decisions", headers)) {
        Frame close = ws.awaitClose(WAIT, true);
        assertThat(close.closeCode()).as(headers.toString()).isEqualTo(4401);
        assertThat(close.closeReason()).isNotBlank();
      }
    }
    try (RawWebSocket ws = open("/ws/decisions?token=bad.token.here", Map.of())) {
      assertThat(ws.awaitClose(WAIT, true).closeCode()).isEqualTo(4401);
    }
  }

  @Test
  void aPlainGetIsA400InTheErrorShape() throws Exception {
    HttpResponse<Buffer> r = node.client().get(node.port(), "127.0.0.1", "/ws/decisions").send().await(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    assertThat(r.bodyAsJsonObject().getString("message")).contains("WebSocket");
  }

  @Test
  void onlyDecisionsMatchingASubscriptionArrive() throws Exception {
    try (RawWebSocket ws = asUser()) {
      JsonObject ack = subscribe(ws, "{\"op\":\"subscribe\",\"models\":[\"gpt\"],\"symbols\":[\"btcusdt\"],\"event_types\":[\"OPEN_SIGNAL\"]}");
      assertThat(ack.getJsonObject("filter").getJsonArray("symbols")).containsExactly("BTC/USDT");
      publish(Decisions.decision("gemini", "BTC/USDT", "OPEN_SIGNAL")); // another model
      publish(Decisions.decision("gpt", "ETH/USDT", "OPEN_SIGNAL")); // another symbol
      publish(Decisions.decision("gpt", "BTC/USDT", "CLOSE_SIGNAL")); // another event type
      JsonObject wanted = Decisions.decision("gpt", "BTC/USDT", "OPEN_SIGNAL");
      publish(wanted);
      // the bus delivers in order: the first decision to arrive is the one that matches
      assertThat(ws.nextJson(WAIT).getJsonObject("data")).isEqualTo(wanted);
    }
  }

  @Test
  void unsubscribeRemovesOneSubscriptionOrAll() throws Exception {
    try (RawWebSocket ws = asUser()) {
      subscribe(ws, "{\"op\":\"subscribe\",\"models\":[\"gpt\"]}");
      JsonObject second = subscribe(ws, "{\"op\":\"subscribe\",\"models\":[\"gemini\"]}");
      assertThat(second.getJsonArray("subscriptions")).hasSize(2);
      JsonObject ack = subscribe(ws, "{\"op\":\"unsubscribe\",\"models\":[\"gpt\"]}");
      assertThat(ack.getString("type")).isEqualTo("unsubscribed");
      assertThat(ack.getInteger("removed")).isEqualTo(1);
      assertThat(ack.getJsonArray("subscriptions")).hasSize(1);
      publish(Decisions.decision("gpt", "BTC/USDT", "OPEN_SIGNAL"));
      JsonObject gemini = Decisions.decision("gemini", "BTC/USDT", "OPEN_SIGNAL");
      publish(gemini);
      assertThat(ws.nextJson(WAIT).getJsonObject("data")).isEqualTo(gemini);

      JsonObject all = subscribe(ws, "{\"op\":\"unsubscribe\"}");
      assertThat(all.getInteger("removed")).isEqualTo(1);
      assertThat(all.getJsonArray("subscriptions")).isEmpty();
      publish(Decisions.decision("gemini", "BTC/USDT", "OPEN_SIGNAL"));
      subscribe(ws, "{\"op\":\"subscribe\",\"models\":[\"claude\"]}");
      JsonObject claude = Decisions.decision("claude", "BTC/USDT", "OPEN_SIGNAL");
      publish(claude);
      assertThat(ws.nextJson(WAIT).getJsonObject("data")).isEqualTo(claude);
    }
  }

  @Test
  void badMessagesGetAnErrorFrameAndTheSocketStaysOpen() throws Exception {
    try (RawWebSocket ws = asUser()) {
      String[][] cases = {
        {"not json", "JSON object"},
        {"[1,2]", "JSON object"},
        {"{\"op\":\"listen\"}", "op must be"},
        {"{\"op\":\"subscribe\",\"models\":\"gpt\"}", "models must be an array"},
        {"{\"op\":\"subscribe\",\"symbols\":[\"NOT A SYMBOL!\"]}", "symbols:"},
        {"{\"op\":\"subscribe\",\"event_types\":[\"MAYBE\"]}", "unknown event type"},
        {"{\"op\":\"subscribe\",\"colour\":[]}", "unknown field"},
      };
      for (String[] c : cases) {
        JsonObject answer = subscribe(ws, c[0]);
        assertThat(answer.getString("type")).as(c[0]).isEqualTo("error");
        assertThat(answer.getString("error")).isEqualTo("bad_request");
        assertThat(answer.getString("message")).as(c[0]).contains(c[1]);
      }
      assertThat(subscribe(ws, "{\"op\":\"subscribe\"}").getString("type")).isEqualTo("subscribed");
    }
  }

  @Test
  void aVertxClientThatAnswersPingsOutlivesTheRequestDeadlineAndKeepsReceiving() throws Exception {
    io.vertx.core.http.WebSocketClient client = vertx.createWebSocketClient();
    io.vertx.core.http.WebSocketConnectOptions options = new io.vertx.core.http.WebSocketConnectOptions().setHost("127.0.0.1").setPort(pinging.port())
        .setURI("/ws/decisions").addHeader("Authorization", "Bearer " + TestJwt.valid(UUID.randomUUID()));
    java.util.concurrent.LinkedBlockingQueue<String> texts = new java.util.concurrent.LinkedBlockingQueue<>();
    AtomicReference<String> closed = new AtomicReference<>();
    AtomicInteger pongs = new AtomicInteger();
    // the handlers go on in the connection's own event-loop turn, before the node's "ready" can be dispatched
    io.vertx.core.http.WebSocket ws = client.connect(options).onSuccess(w -> {
      w.textMessageHandler(texts::add);
      w.closeHandler(v -> closed.set(w.closeStatusCode() + " " + w.closeReason()));
    }).await(10, TimeUnit.SECONDS);
    long pinger = vertx.setPeriodic(100, id -> {
      if (!ws.isClosed()) {
        ws.writePong(Buffer.buffer("alive")).onSuccess(v -> pongs.incrementAndGet());
      }
    });
    try {
      assertThat(new JsonObject(texts.poll(10, TimeUnit.SECONDS)).getString("type")).isEqualTo("ready");
      ws.writeTextMessage("{\"op\":\"subscribe\"}");
      assertThat(new JsonObject(texts.poll(10, TimeUnit.SECONDS)).getString("type")).isEqualTo("subscribed");
      // three request deadlines (HTTP_REQUEST_TIMEOUT 1 s) later the socket is still open and delivering
      Eventually.await(Duration.ofSeconds(30), "30 pongs sent", () -> pongs.get() >= 30 || closed.get() != null);
      assertThat(closed.get()).as("closed by the node").isNull();
      JsonObject decision = Decisions.decision("gpt", "ETH/USDT", "OPEN_SIGNAL");
      publish(decision);
      assertThat(new JsonObject(texts.poll(10, TimeUnit.SECONDS))).isEqualTo(new JsonObject().put("type", "decision").put("data", decision));
    } finally {
      vertx.cancelTimer(pinger);
      client.close();
    }
  }

  @Test
  void aClientAnsweringPingsStaysOpenPastTheTimeoutAndOneThatDoesNotIsClosedWith4408() throws Exception {
    try (RawWebSocket answering = asUser(pinging); RawWebSocket silent = asUser(pinging)) {
      AtomicInteger answered = new AtomicInteger();
      AtomicReference<Frame> answeringClosed = new AtomicReference<>();
      AtomicBoolean done = new AtomicBoolean();
      Thread answerer = new Thread(() -> {
        try {
          while (!done.get()) {
            Frame g = answering.next(Duration.ofMillis(100));
            if (g != null && g.opcode() == RawWebSocket.PING) {
              answering.sendPong(g.payload());
              answered.incrementAndGet();
            } else if (g != null && g.opcode() == RawWebSocket.CLOSE) {
              answeringClosed.set(g);
              return;
            }
          }
        } catch (Exception e) {
          answeringClosed.set(new Frame(RawWebSocket.CLOSE, new byte[0]));
        }
      });
      answerer.start();
      // the silent one reads but never answers: pings, then a close with 4408 after about 1 s
      int pings = 0;
      long started = System.nanoTime();
      Frame f;
      while ((f = silent.next(WAIT)) != null && f.opcode() != RawWebSocket.CLOSE) {
        pings += f.opcode() == RawWebSocket.PING ? 1 : 0;
      }
      assertThat(f).isNotNull();
      assertThat(f.closeCode()).isEqualTo(4408);
      assertThat(f.closeReason()).contains("no pong");
      assertThat(pings).isGreaterThanOrEqualTo(3);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
      // the answering one keeps answering, well past twice the timeout, and is never closed
      Eventually.await(Duration.ofSeconds(30), "12 pings answered", () -> answered.get() >= 12 || answeringClosed.get() != null);
      done.set(true);
      answerer.join(5_000);
      assertThat(answeringClosed.get()).isNull();
      assertThat(answered.get()).isGreaterThanOrEqualTo(12);
    }
  }

  @Test
  void aConsumerThatFallsBehindIsClosedWith1008InsteadOfBuffering() throws Exception {
    // a 64 KB receive buffer: the kernel's autotuning would otherwise take in tens of MB
    try (RawWebSocket ws = RawWebSocket.connect(node.port(), "/ws/decisions", Map.of("X-API-Key", KEY), 65_536)) {
      assertThat(ws.nextJson(WAIT).getString("type")).isEqualTo("ready");
      subscribe(ws, "{\"op\":\"subscribe\",\"models\":[\"slow\"]}");
      double slowBefore = scrape(node).sum("zmarty_lens_ws_closed_total", "reason", "slow_consumer");
      // ~8 KB per decision, 3,000 of them (24 MB): far more than the kernel buffers and the 16 KB queue hold
      String filler = "x".repeat(8_000);
      int published = 3_000;
      for (int i = 0; i < published; i++) {
        publish(Decisions.decision("slow", "BTC/USDT", "OPEN_SIGNAL").put("reasons", new JsonArray().add(filler)));
      }
      // not reading at all until the node says it gave up on this socket
      Eventually.await(Duration.ofSeconds(60), "the node closing a slow consumer",
          () -> scrape(node).sum("zmarty_lens_ws_closed_total", "reason", "slow_consumer") >= slowBefore + 1);
      int received = 0;
      Frame f;
      while ((f = ws.next(WAIT)) != null && f.opcode() != RawWebSocket.CLOSE) {
        if (f.opcode() == RawWebSocket.PING) {
          ws.sendPong(f.payload());
        } else if (f.opcode() == RawWebSocket.TEXT) {
          received++;
        }
      }
      assertThat(f).as("a close after " + received + " decisions").isNotNull();
      assertThat(f.closeCode()).isEqualTo(1008);
      assertThat(f.closeReason()).startsWith("slow consumer");
      assertThat(received).isLessThan(published);
    }
  }

  @Test
  void beyondTheCapANewSocketIsClosedWith1013AndTheGaugeCountsOpenSockets() throws Exception {
    Vertx own = Vertx.vertx();
    try {
      TestNode capped = TestNode.api(own, dbs, Map.of("LENS_WS_MAX_CONNECTIONS", "2"));
      List<RawWebSocket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          RawWebSocket ws = RawWebSocket.connect(capped.port(), "/ws/decisions", Map.of("X-API-Key", KEY));
          sockets.add(ws);
          assertThat(ws.nextJson(WAIT).getString("type")).isEqualTo("ready");
        }
        RawWebSocket third = RawWebSocket.connect(capped.port(), "/ws/decisions", Map.of("X-API-Key", KEY));
        sockets.add(third);
        Frame close = third.awaitClose(WAIT, true);
        assertThat(close.closeCode()).isEqualTo(1013);
        Eventually.await(WAIT, "2 sockets open", () -> gauge(capped) == 2.0);
        sockets.remove(0).close();
        Eventually.await(WAIT, "1 socket open", () -> gauge(capped) == 1.0);
        RawWebSocket again = RawWebSocket.connect(capped.port(), "/ws/decisions", Map.of("X-API-Key", KEY));
        sockets.add(again);
        assertThat(again.nextJson(WAIT).getString("type")).isEqualTo("ready");
      } finally {
        for (RawWebSocket s : sockets) {
          s.close();
        }
      }
    } finally {
      own.close().await();
    }
  }

  private static double gauge(TestNode n) {
    return scrape(n).sum("zmarty_lens_ws_connections");
  }

  private static Scrape scrape(TestNode n) {
    try {
      return Scrape.of(n.client(), n.port());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
