package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.db.Pools;
import ai.zmarty.outbox.EventOutbox;
import ai.zmarty.outbox.EventPublisherVerticle;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.LogCapture;
import ai.zmarty.testing.SseClient;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /signals/stream} on a real API node: filters, the outbox path, repeats, the cap, slow readers, stopping. */
class SignalStreamTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static Vertx vertx;
  private static TestDatabases.Pair dbs;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    dbs = TestDatabases.migrated();
    node = TestNode.api(vertx, dbs, Map.of());
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static Map<String, String> bearer(UUID user) {
    return Map.of("Authorization", "Bearer " + TestJwt.valid(user));
  }

  private static UUID watching(String symbol, String timeframe) throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 0);
    HttpResponse<Buffer> added = node.client().post(node.port(), "127.0.0.1", "/symbols").putHeader("Authorization", "Bearer " + TestJwt.valid(user))
        .sendJsonObject(new JsonObject().put("symbol", symbol).put("timeframe", timeframe)).await(10, TimeUnit.SECONDS);
    assertThat(added.statusCode()).as(added.bodyAsString()).isEqualTo(201);
    return user;
  }

  private static JsonObject signal(String symbol, String timeframe, String reason) {
    return new JsonObject().put("event_id", UUID.randomUUID().toString()).put("id", 1).put("symbol", symbol).put("timeframe", timeframe)
        .put("direction", "long").put("score", 0.7).put("entry", 100.0).put("stop", 95.0).put("targets", new JsonArray().add(110.0))
        .put("reasons", new JsonArray().add(reason));
  }

  private static SseClient open(String path, Map<String, String> headers) throws Exception {
    SseClient c = SseClient.open(node.port(), path, headers);
    assertThat(c.status()).isEqualTo(200);
    SseClient.Event ready = c.next(WAIT);
    assertThat(ready).isNotNull();
    assertThat(ready.name()).isEqualTo("ready");
    return c;
  }

  /** Events until (and including) the one whose first reason is {@code last}. */
  private static List<SseClient.Event> until(SseClient c, String last) throws Exception {
    List<SseClient.Event> got = new ArrayList<>();
    while (true) {
      SseClient.Event e = c.next(WAIT);
      assertThat(e).as("events so far: " + got).isNotNull();
      got.add(e);
      if (e.name().equals("signal") && e.json().getJsonArray("reasons").getString(0).equals(last)) {
        return got;
      }
    }
  }

  @Test
  void aStreamCarriesTheWatchedPairsOnlyAndEachEventOnce() throws Exception {
    UUID user = watching("BTC/USDT", "1h");
    try (SseClient c = SseClient.open(node.port(), SignalStreams.PATH, bearer(user))) {
      assertThat(c.status()).isEqualTo(200);
      SseClient.Event ready = c.next(WAIT);
      assertThat(ready.name()).isEqualTo("ready");
      assertThat(ready.json().getJsonArray("pairs").getJsonObject(0).getMap()).isEqualTo(Map.of("symbol", "BTC/USDT", "timeframe", "1h"));

      JsonObject wanted = signal("BTC/USDT", "1h", "first");
      vertx.eventBus().publish(Addresses.EVENTS_SIGNAL_CREATED, wanted);
      vertx.eventBus().publish(Addresses.EVENTS_SIGNAL_CREATED, wanted); // the outbox's rare repeat
      vertx.eventBus().publish(Addresses.EVENTS_SIGNAL_CREATED, signal("BTC/USDT", "4h", "other timeframe"));
      vertx.eventBus().publish(Addresses.EVENTS_SIGNAL_CREATED, signal("ETH/USDT", "1h", "other symbol"));
      vertx.eventBus().publish(Addresses.EVENTS_SIGNAL_CREATED, signal("BTC/USDT", "1h", "barrier"));

      List<SseClient.Event> got = until(c, "barrier");
      assertThat(got).extracting(e -> e.json().getJsonArray("reasons").getString(0)).containsExactly("first", "barrier");
      assertThat(got.get(0).id()).isEqualTo(wanted.getString("event_id"));
      assertThat(got.get(0).json().getDouble("entry")).isEqualTo(100.0);
    }
  }

  @Test
  void namedSymbolsTakeEveryTimeframeAndASignalWrittenToTheOutboxArrives() throws Exception {
    Pool pool = Pools.create(vertx, dbs.trading(), 2, "stream-test");
    vertx.deployVerticle(new EventPublisherVerticle(pool, Pools.connectOptions(dbs.trading(), "stream-listen"), Duration.ofMillis(100))).await(10, TimeUnit.SECONDS);
    try (SseClient c = open(SignalStreams.PATH + "?symbols=ethusdt,SOL-PERP", bearer(Users.create(dbs.chat(), "pro", 0)))) {
      // committed with its row by a worker; the publisher sends it after commit
      pool.withTransaction(conn -> EventOutbox.addAll(conn, Addresses.EVENTS_SIGNAL_CREATED,
          List.of(signal("ETH/USDT", "4h", "eth 4h"), signal("BTC/USDT", "4h", "not named"), signal("SOL/USDT", "15m", "sol 15m")))).await(10, TimeUnit.SECONDS);
      List<SseClient.Event> got = until(c, "sol 15m");
      assertThat(got).extracting(e -> e.json().getString("symbol") + " " + e.json().getString("timeframe")).containsExactly("ETH/USDT 4h", "SOL/USDT 15m");
    }
  }

  @Test
  void badInputGetsA4xxNamingIt() throws Exception {
    HttpResponse<Buffer> none = node.client().get(node.port(), "127.0.0.1", SignalStreams.PATH).send().await(10, TimeUnit.SECONDS);
    assertThat(none.statusCode()).isEqualTo(401);
    HttpResponse<Buffer> bad = node.client().get(node.port(), "127.0.0.1", SignalStreams.PATH + "?symbols=BTC/USDT,nonsense%20here")
        .putHeader("Authorization", "Bearer " + TestJwt.valid(UUID.randomUUID())).send().await(10, TimeUnit.SECONDS);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    assertThat(bad.bodyAsJsonObject().getString("message")).contains("nonsense");
  }

  @Test
  void pastTheCapANodeAnswers503WithRetryAfter() throws Exception {
    TestNode capped = TestNode.api(vertx, dbs, Map.of("SIGNAL_STREAMS_MAX", "1"));
    UUID user = Users.create(dbs.chat(), "pro", 0);
    try (SseClient first = SseClient.open(capped.port(), SignalStreams.PATH + "?symbols=BTC", bearer(user))) {
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.next(WAIT).name()).isEqualTo("ready");
      HttpResponse<Buffer> second = capped.client().get(capped.port(), "127.0.0.1", SignalStreams.PATH + "?symbols=BTC")
          .putHeader("Authorization", "Bearer " + TestJwt.valid(user)).send().await(10, TimeUnit.SECONDS);
      assertThat(second.statusCode()).isEqualTo(503);
      assertThat(second.getHeader("Retry-After")).isEqualTo("5");
      assertThat(second.bodyAsJsonObject().getString("message")).contains("SIGNAL_STREAMS_MAX");
    }
    // the closed stream's place is free again
    Eventually.await(WAIT, "a new stream after the first closed", () -> {
      try (SseClient again = SseClient.open(capped.port(), SignalStreams.PATH + "?symbols=BTC", bearer(user))) {
        return again.status() == 200;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  @Test
  void aClientThatStopsReadingIsCutOffInsteadOfBufferedFor() throws Exception {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", node.port()), 5_000);
    s.getOutputStream().write(("GET " + SignalStreams.PATH + "?symbols=XRP HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestJwt.valid(UUID.randomUUID()) + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    InputStream in = s.getInputStream();
    byte[] head = new byte[64];
    assertThat(new String(head, 0, in.read(head), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
    try (LogCapture logs = new LogCapture()) {
      // about 40 MB of signals while the client reads nothing: far beyond every buffer on the way
      String padding = "x".repeat(2_000);
      int sent = 20_000;
      for (int i = 0; i < sent; i++) {
        vertx.eventBus().publish(Addresses.EVENTS_SIGNAL_CREATED, signal("XRP/USDT", "1h", padding));
      }
      vertx.eventBus().publish(Addresses.EVENTS_SIGNAL_CREATED, signal("XRP/USDT", "1h", "last"));
      Eventually.await(Duration.ofSeconds(30), "the node dropping the slow stream",
          () -> logs.events().stream().anyMatch(e -> e.getFormattedMessage().startsWith("signal stream closed: slow consumer")));
      // what the kernel had taken is still readable, then the connection is closed: no heartbeat keeps it open
      s.setSoTimeout(30_000);
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(all.split("event: signal", -1).length - 1).isLessThan(sent);
      assertThat(all).doesNotContain("\"last\"");
    } finally {
      s.close();
    }
  }

  @Test
  void aStoppingNodeEndsItsStreamsWithAnEvent() throws Exception {
    TestNode stopping = TestNode.api(vertx, dbs, Map.of());
    try (SseClient c = SseClient.open(stopping.port(), SignalStreams.PATH + "?symbols=BTC", bearer(UUID.randomUUID()))) {
      assertThat(c.next(WAIT).name()).isEqualTo("ready");
      stopping.wiring().close().await(30, TimeUnit.SECONDS);
      SseClient.Event last = c.next(WAIT);
      assertThat(last.name()).isEqualTo("error");
      assertThat(last.json().getString("error")).isEqualTo("shutting_down");
      Eventually.await(WAIT, "the stream ended", c::closed);
    }
  }
}
