package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.Wiring;
import ai.zmarty.testing.ChatApi;
import ai.zmarty.testing.RawHttp;
import ai.zmarty.testing.RawHttp.Answer;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.Users;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Finding 3: idle connections, half-sent headers (slowloris) and bodies that never finish are
 * closed, with raw sockets against nodes configured with short timeouts; a streaming answer that
 * lasts longer than the idle timeout is not idle.
 */
@ExtendWith(VertxExtension.class)
class ConnectionTimeoutsTest {
  private static TestDatabases.Pair dbs;

  @BeforeAll
  static void databases() {
    dbs = TestDatabases.migrated();
  }

  private static int node(Vertx vertx, String idle, String request) throws Exception {
    Wiring w = TestNode.start(vertx, dbs.config(Map.of("ROLES", "api", "HTTP_IDLE_TIMEOUT", idle, "HTTP_REQUEST_TIMEOUT", request, "OFFLINE_PACE", "100ms")), dbs.chat(), dbs.trading()).wiring();
    return w.httpPort().orElseThrow();
  }

  @Test
  void aSilentConnectionIsClosedAfterTheIdleTimeout(Vertx vertx) throws Exception {
    int port = node(vertx, "1s", "30s");
    try (RawHttp c = new RawHttp(port)) {
      Answer a = c.readUntilClosed(15_000);
      assertThat(a.closed()).as("closed by the idle timeout").isTrue();
      assertThat(a.millis()).isBetween(800L, 10_000L);
      assertThat(a.text()).isEmpty();
    }
  }

  @Test
  void aStreamingAnswerLongerThanTheIdleTimeoutStaysOpen(Vertx vertx) throws Exception {
    int port = node(vertx, "1s", "30s");
    UUID user = Users.create(dbs.chat(), "pro", 1_000);
    long t0 = System.nanoTime();
    HttpResponse<Buffer> r = new ChatApi(vertx, port).chat(user, "What's the signal for BTC?", true).await(60, TimeUnit.SECONDS);
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(millis).as("the answer streamed for longer than the 1 s idle timeout").isGreaterThan(2_000);
    assertThat(r.bodyAsString()).contains("event: done");
  }

  @Test
  void halfSentHeadersAreCutAtTheRequestDeadline(Vertx vertx) throws Exception {
    int port = node(vertx, "30s", "1s");
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
      long t0 = System.nanoTime();
      Answer a = null;
      // a slowloris client: one more header line every 200 ms, never the blank line
      for (int i = 0; i < 50; i++) {
        try {
          c.send("X-Slow-" + i + ": 1\r\n");
        } catch (java.io.IOException closedByServer) {
          a = c.readUntilClosed(100);
          break;
        }
        a = c.readUntilClosed(200);
        if (a.closed()) {
          break;
        }
      }
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertThat(a.closed()).as("closed while still sending headers").isTrue();
      assertThat(millis).isBetween(800L, 8_000L);
    }
  }

  @Test
  void aBodyThatNeverFinishesGets408AndTheConnectionCloses(Vertx vertx) throws Exception {
    int port = node(vertx, "30s", "1s");
    Answer a = RawHttp.exchange(port, "POST /symbols HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"symbol\":", 15_000);
    assertThat(a.closed()).isTrue();
    assertThat(a.millis()).isBetween(800L, 10_000L);
    assertThat(a.only().status()).isEqualTo(408);
    assertThat(a.only().json().getString("error")).isEqualTo("request_timeout");
  }

  @Test
  void aKeepAliveConnectionMustSendItsNextRequestWithinTheDeadline(Vertx vertx) throws Exception {
    int port = node(vertx, "30s", "1s");
    Answer a = RawHttp.exchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 15_000);
    assertThat(a.only().status()).isEqualTo(200);
    assertThat(a.closed()).as("the idle keep-alive connection is closed by the deadline, not kept for the 30 s idle timeout").isTrue();
    assertThat(a.millis()).isBetween(800L, 10_000L);
  }
}
