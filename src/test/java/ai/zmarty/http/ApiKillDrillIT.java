package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.NodeProcess;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.Users;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's third drill: an API node SIGKILLed in the middle of a streamed answer. Its credit hold
 * stays in the database, counts against the balance until CREDIT_HOLD_TTL, then stops counting;
 * nothing was charged, so the balance is whole and the next chat (on another API node) succeeds.
 */
class ApiKillDrillIT {
  private final HttpClient http = HttpClient.newHttpClient();

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private HttpRequest.Builder request(int port, String path, UUID user) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + TestJwt.valid(user)).header("content-type", "application/json");
  }

  private JsonObject credits(int port, UUID user) throws Exception {
    return new JsonObject(http.send(request(port, "/credits", user).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  @Test
  void aHoldLeftByAKilledApiNodeStopsCountingAfterItsTtlAndTheBalanceIsWhole() throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Map<String, String> env = new HashMap<>(dbs.env());
    env.putAll(Map.of("JWT_SECRET", TestJwt.SECRET, "LOG_FORMAT", "text", "OFFLINE_PACE", "300ms", "CREDIT_HOLD_TTL", "30s",
        "WEBHOOK_SECRET", "drill-webhook-secret-drill-webhook-0001", "ZMARTY_DATA_DIR", Files.createTempDirectory("zmarty-drill").toString(),
        // one answer at a time for the user, over both nodes: the killed node's slot locks the user out until its lease lapses
        "MAX_CONCURRENT_STREAMS", "1", "CHAT_STREAM_LEASE", "10s"));
    int doomedPort = freePort();
    int survivorPort = freePort();
    Map<String, String> doomedEnv = new HashMap<>(env);
    doomedEnv.put("HTTP_PORT", Integer.toString(doomedPort));
    Map<String, String> survivorEnv = new HashMap<>(env);
    survivorEnv.put("HTTP_PORT", Integer.toString(survivorPort));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    try (NodeProcess doomed = new NodeProcess("api-doomed", doomedEnv, "run", "--roles", "api").start();
        NodeProcess survivor = new NodeProcess("api-survivor", survivorEnv, "run", "--roles", "api").start()) {
      doomed.awaitOutput("zmarty node up", Duration.ofSeconds(120));
      survivor.awaitOutput("zmarty node up", Duration.ofSeconds(120));

      HttpResponse<InputStream> stream = http.send(request(doomedPort, "/chat", user).header("Accept", "text/event-stream")
          .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"Tell me about BTC and ETH\"}")).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(stream.statusCode()).isEqualTo(200);
      BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
      // the answer is streaming: the first token has arrived
      for (String line = reader.readLine(); line != null && !line.startsWith("event: token"); line = reader.readLine()) {
        // skip to the first token
      }
      long killedAt = System.nanoTime();
      doomed.kill();

      HttpResponse<String> refused = http.send(request(survivorPort, "/chat", user).POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"again\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as("the killed node's stream still counts: " + refused.body()).isEqualTo(429);
      Eventually.await(Duration.ofSeconds(30), "the killed node's stream slot lapsed",
          () -> Sql.count(dbs.chat(), "select count(*) from chat_stream_slots where user_id = '" + user + "' and expires_at > now()") == 0);
      double slotLapsedAfter = (System.nanoTime() - killedAt) / 1e9;
      assertThat(slotLapsedAfter).as("not before the lease's last renewal ran out").isGreaterThan(5);
      JsonObject during = credits(survivorPort, user);
      assertThat(during.getLong("held")).as("the dead node's hold still counts: " + during).isPositive();
      assertThat(during.getLong("available")).isEqualTo(1000 - during.getLong("held"));
      JsonObject after = Eventually.until(Duration.ofSeconds(60), "the hold expired", () -> {
        try {
          return credits(survivorPort, user);
        } catch (Exception e) {
          return new JsonObject();
        }
      }, c -> c.getLong("held", -1L) == 0);
      double expiredAfter = (System.nanoTime() - killedAt) / 1e9;
      assertThat(after.getLong("balance")).as("nothing charged for the killed answer").isEqualTo(1000);
      assertThat(after.getLong("available")).isEqualTo(1000);
      assertThat(Users.ledgerSum(dbs.chat(), user)).isEqualTo(Users.balance(dbs.chat(), user)).isEqualTo(1000);
      assertThat(expiredAfter).as("the hold counted until its TTL").isGreaterThan(25);

      // the user chats on: the next answer on the other node is charged normally
      HttpResponse<String> next = http.send(request(survivorPort, "/chat", user).header("Accept", "text/event-stream")
          .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"And now?\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(next.statusCode()).isEqualTo(200);
      assertThat(next.body()).contains("event: done");
      long balance = Users.balance(dbs.chat(), user);
      assertThat(balance).isLessThan(1000);
      assertThat(Users.ledgerSum(dbs.chat(), user)).isEqualTo(balance);
      assertThat(Sql.count(dbs.chat(), "select count(*) from credit_holds where user_id = '" + user + "' and expires_at > now()")).isZero();
      System.out.printf("DRILL api killed mid-stream: stream slot counted for %.1f s (CHAT_STREAM_LEASE 10s), hold %d credits counted for %.1f s (CREDIT_HOLD_TTL 30s), balance after %d of 1000, next chat charged %d%n",
          slotLapsedAfter, during.getLong("held"), expiredAfter, after.getLong("balance"), 1000 - balance);
    }
  }
}
