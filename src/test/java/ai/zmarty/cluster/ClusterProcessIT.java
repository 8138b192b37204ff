package ai.zmarty.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.NodeProcess;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.Sse;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.Users;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two JVMs from the built jar, clustered over loopback: one runs the API (and ops), the other the
 * workers. The user's story works across them; a worker killed with SIGKILL in the middle of a
 * job loses nothing (the message returns after its visibility timeout) and duplicates nothing.
 */
class ClusterProcessIT {
  private final HttpClient http = HttpClient.newHttpClient();

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private HttpResponse<String> call(int port, String method, String path, UUID user, String body, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + TestJwt.valid(user)).header("content-type", "application/json");
    if (accept != null) {
      b.header("Accept", accept);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private boolean hasSignals(int port, UUID user, String symbol) {
    try {
      JsonArray signals = new JsonObject(call(port, "GET", "/signals", user, null, null).body()).getJsonArray("signals");
      return signals.stream().map(o -> (JsonObject) o).anyMatch(s -> s.getString("symbol").equals(symbol));
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void theStoryWorksAcrossAnApiNodeAndAWorkerNodeThatIsKilledMidJob() throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    int httpPort = freePort();
    int hz = freePort();
    int hz2 = freePort();
    Map<String, String> common = new HashMap<>(dbs.env());
    common.putAll(Map.of(
        "JWT_SECRET", TestJwt.SECRET,
        "WEBHOOK_SECRET", "it-webhook-secret-it-webhook-secret-0001",
        "CLUSTER_NAME", "zmarty-it-" + ProcessHandle.current().pid(),
        "CLUSTER_HOST", "127.0.0.1",
        "CLUSTER_PORT", Integer.toString(hz),
        "CLUSTER_MEMBERS", "127.0.0.1:" + hz + ",127.0.0.1:" + hz2,
        "LOG_FORMAT", "text",
        "ZMARTY_DATA_DIR", Files.createTempDirectory("zmarty-it").toString()));
    common.putAll(Map.of("QUEUE_IDLE_POLL", "200ms", "QUEUE_VISIBILITY_TIMEOUT", "8s", "QUEUE_HANDLER_TIMEOUT", "6s", "SYNC_POLL", "200ms", "QUEUE_BACKOFF_BASE", "1s"));
    Map<String, String> apiEnv = new HashMap<>(common);
    apiEnv.put("HTTP_PORT", Integer.toString(httpPort));
    Map<String, String> workerEnv = new HashMap<>(common);
    workerEnv.put("CLUSTER_PORT", Integer.toString(hz2));
    // a worker-only node serves /metrics on METRICS_PORT: any free one (9102 may be taken on a shared machine)
    workerEnv.put("METRICS_PORT", "0");
    workerEnv.put("MARKET_LATENCY", "2s"); // every ingest job takes at least 2 s: long enough to be killed in

    try (NodeProcess api = new NodeProcess("api", apiEnv, "run", "--cluster", "--roles", "api,ops").start();
        NodeProcess worker = new NodeProcess("worker", workerEnv, "run", "--cluster", "--roles", "worker").start()) {
      api.awaitOutput("zmarty node up", Duration.ofSeconds(120));
      worker.awaitOutput("zmarty node up", Duration.ofSeconds(120));

      // The story across the two nodes: the symbol goes in on the API node, the worker node computes.
      UUID user = Users.create(dbs.chat(), "pro", 1000);
      assertThat(call(httpPort, "POST", "/symbols", user, "{\"symbol\":\"BTC/USDT\",\"timeframe\":\"1h\"}", null).statusCode()).isEqualTo(201);
      Eventually.await(Duration.ofSeconds(60), "BTC/USDT signals computed on the worker node", () -> hasSignals(httpPort, user, "BTC/USDT"));
      HttpResponse<String> chat = call(httpPort, "POST", "/chat", user, "{\"message\":\"What's the signal for BTC?\"}", "text/event-stream");
      assertThat(chat.statusCode()).isEqualTo(200);
      List<Sse.Event> events = Sse.parse(chat.body());
      assertThat(events.getLast().name()).isEqualTo("done");
      assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000 - events.getLast().data().getLong("credits_charged"));

      // Kill the worker while it holds an ingest job.
      assertThat(call(httpPort, "POST", "/symbols", user, "{\"symbol\":\"ETH/USDT\",\"timeframe\":\"1h\"}", null).statusCode()).isEqualTo(201);
      String inFlight = "select count(*) from pgmq.q_ingest_indicators where message->>'symbol' = 'ETH/USDT' and read_ct >= 1 and vt > now()";
      Eventually.await(Duration.ofSeconds(30), "ETH/USDT ingest job in flight on the worker", () -> Sql.count(dbs.trading(), inFlight) == 1);
      long msgId = Long.parseLong(Sql.one(dbs.trading(), "select msg_id from pgmq.q_ingest_indicators where message->>'symbol' = 'ETH/USDT'"));
      worker.kill();
      assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.q_ingest_indicators where msg_id = " + msgId)).as("the job is still queued").isEqualTo(1);
      assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.a_ingest_indicators where msg_id = " + msgId)).isZero();

      try (NodeProcess again = new NodeProcess("worker-again", workerEnv, "run", "--cluster", "--roles", "worker").start()) {
        again.awaitOutput("zmarty node up", Duration.ofSeconds(120));
        Eventually.await(Duration.ofSeconds(90), "the killed job handled after a restart", () ->
            Sql.count(dbs.trading(), "select count(*) from pgmq.a_ingest_indicators where msg_id = " + msgId) == 1);
        assertThat(Sql.count(dbs.trading(), "select read_ct from pgmq.a_ingest_indicators where msg_id = " + msgId)).isGreaterThanOrEqualTo(2);
        Eventually.await(Duration.ofSeconds(60), "ETH/USDT signals", () -> hasSignals(httpPort, user, "ETH/USDT"));
      }
      assertThat(Sql.count(dbs.trading(), "select count(*) - count(distinct (symbol, timeframe, bar_time)) from signals")).as("no duplicate signal").isZero();
      assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.q_dead_letter")).isZero();
    }
  }
}
