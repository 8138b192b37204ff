package ai.zmarty.db;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.NodeProcess;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.Users;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's second drill: PostgreSQL (both databases' server) stopped and started again under an
 * API node and a worker node. During the outage a chat gets 503 JSON with Retry-After and charges
 * nothing; after it every node is back within 10 s; no queued job is lost.
 */
class PostgresRestartDrillIT {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private HttpResponse<String> chat(int port, UUID user) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat")).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + TestJwt.valid(user)).header("content-type", "application/json").header("Accept", "text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"What's the signal for BTC?\"}")).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void chatsDuringAnOutageGet503AndChargeNothingAndEveryNodeIsBackWithin10sLosingNoJob() throws Exception {
    Path dataDir = Files.createTempDirectory("zmarty-restart-pg").resolve("data");
    int pgPort = freePort();
    EmbeddedDatabase pg = EmbeddedDatabase.start(dataDir, pgPort);
    PgUrl chatUrl = pg.database("chat");
    PgUrl tradingUrl = pg.database("trading");
    Migrations.apply(chatUrl, Migrations.Target.CHAT);
    Migrations.apply(tradingUrl, Migrations.Target.TRADING);
    Map<String, String> env = new HashMap<>(Map.of(
        "CHAT_DATABASE_URL", "postgres://" + chatUrl.user() + "@127.0.0.1:" + pgPort + "/chat",
        "TRADING_DATABASE_URL", "postgres://" + tradingUrl.user() + "@127.0.0.1:" + pgPort + "/trading",
        "JWT_SECRET", TestJwt.SECRET, "LOG_FORMAT", "text", "OFFLINE_PACE", "0ms",
        "WEBHOOK_SECRET", "drill-webhook-secret-drill-webhook-0001",
        "ZMARTY_DATA_DIR", Files.createTempDirectory("zmarty-drill").toString(),
        "QUEUE_IDLE_POLL", "200ms", "QUEUE_BACKOFF_BASE", "1s", "QUEUE_BACKOFF_MAX", "2s"));
    env.put("SCHEDULER_INGEST_CRON", "0 0 1 1 *");
    env.put("METRICS_PORT", "0"); // the worker-only node: any free port for /metrics
    int port = freePort();
    Map<String, String> apiEnv = new HashMap<>(env);
    apiEnv.put("HTTP_PORT", Integer.toString(port));
    UUID user = Users.create(chatUrl, "pro", 1000);
    try (NodeProcess api = new NodeProcess("api", apiEnv, "run", "--roles", "api,ops").start();
        NodeProcess worker = new NodeProcess("worker", env, "run", "--roles", "worker").start()) {
      api.awaitOutput("zmarty node up", Duration.ofSeconds(120));
      worker.awaitOutput("zmarty node up", Duration.ofSeconds(120));
      assertThat(chat(port, user).body()).contains("event: done");
      long chargedBefore = 1000 - Users.balance(chatUrl, user);

      pg.close();
      int refused = 0;
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> during = chat(port, user);
        assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
        assertThat(during.headers().firstValue("Retry-After")).isPresent();
        JsonObject body = new JsonObject(during.body());
        assertThat(body.getString("error")).isEqualTo("unavailable");
        assertThat(body.getString("message")).doesNotContain("Exception").doesNotContain("127.0.0.1");
        refused++;
      }

      long restartedAt = System.nanoTime();
      pg = EmbeddedDatabase.start(dataDir, pgPort);
      double pgUp = (System.nanoTime() - restartedAt) / 1e9;
      long upAt = System.nanoTime();
      // jobs sent as the server comes back must all be handled: the worker reconnects
      for (String asset : new String[] {"BTC", "ETH", "SOL"}) {
        Sql.exec(tradingUrl, "select pgmq.send('ingest_indicators', '{\"symbol\": \"" + asset + "/USDT\", \"timeframe\": \"1h\"}'::jsonb)");
      }
      Eventually.await(Duration.ofSeconds(10), "a chat answered again", () -> {
        try {
          return chat(port, user).body().contains("event: done");
        } catch (Exception e) {
          return false;
        }
      });
      double apiBack = (System.nanoTime() - upAt) / 1e9;
      Eventually.await(Duration.ofSeconds(10), "the worker reading and handling jobs again", () -> Sql.count(tradingUrl, "select count(*) from pgmq.a_ingest_indicators") >= 1);
      double workerBack = (System.nanoTime() - upAt) / 1e9;
      Eventually.await(Duration.ofSeconds(60), "every job handled", () -> Sql.count(tradingUrl, "select count(*) from pgmq.a_ingest_indicators") == 3);

      long balance = Users.balance(chatUrl, user);
      assertThat(Users.ledgerSum(chatUrl, user)).isEqualTo(balance);
      assertThat(Sql.count(chatUrl, "select count(*) from credits_ledger where user_id = '" + user + "' and delta < 0")).as("two chats charged, the refused ones not").isEqualTo(2);
      assertThat(Sql.count(chatUrl, "select count(*) from credit_holds where user_id = '" + user + "' and expires_at > now()")).as("no hold left counting").isZero();
      assertThat(Sql.count(tradingUrl, "select count(*) from pgmq.q_ingest_indicators")).isZero();
      assertThat(Sql.count(tradingUrl, "select count(*) from pgmq.q_dead_letter")).isZero();
      assertThat(api.output()).doesNotContain("internal error");
      System.out.printf("DRILL postgres restarted: %d chats refused with 503 during the outage, 0 charged for them; server up in %.1f s; api answering %.1f s and worker handling jobs %.1f s after; charged before %d, after %d; jobs lost 0%n",
          refused, pgUp, apiBack, workerBack, chargedBefore, 1000 - balance - chargedBefore);
    } finally {
      pg.close();
    }
  }
}
