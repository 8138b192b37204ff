package ai.zmarty.story;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.Wiring;
import ai.zmarty.demo.DemoSeed;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.Sse;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's story, as a new user of the demo lives it, against the whole stack in one JVM:
 * every role, embedded PostgreSQL, real HTTP, the real bus, the signed sync and the pgmq poller.
 */
@ExtendWith(VertxExtension.class)
class UserStoryTest {
  private WebClient client;
  private int port;
  private final String token = TestJwt.valid(DemoSeed.DEMO_USER);

  private HttpResponse<Buffer> get(String path) throws Exception {
    return client.get(port, "127.0.0.1", path).putHeader("Authorization", "Bearer " + token).send().await(10, TimeUnit.SECONDS);
  }

  private JsonArray signals() throws Exception {
    return get("/signals").bodyAsJsonObject().getJsonArray("signals");
  }

  private static boolean covers(JsonArray rows, String symbol) {
    return rows.stream().map(o -> (JsonObject) o).anyMatch(s -> s.getString("symbol").equals(symbol));
  }

  @Test
  void aNewUsersWholeStory(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.all(vertx, dbs, Map.of("QUEUE_IDLE_POLL", "100ms", "OFFLINE_PACE", "1ms", "SYNC_POLL", "200ms"));
    Wiring wiring = node.wiring();
    port = node.port();
    client = node.client();
    long t0 = System.nanoTime();

    // The demo user: pro, 1,000 credits, BTC/USDT and ETH/USDT on 1h; created once.
    assertThat(DemoSeed.ensure(wiring.chatPool()).await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(DemoSeed.ensure(wiring.chatPool()).await(10, TimeUnit.SECONDS)).isFalse();
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + DemoSeed.DEMO_USER + "'")).isEqualTo(1);

    // Adding a symbol reaches B through the signed sync and is ingested at once.
    HttpResponse<Buffer> added =
        client.post(port, "127.0.0.1", "/symbols").putHeader("Authorization", "Bearer " + token)
            .sendJsonObject(new JsonObject().put("symbol", "SOL/USDT").put("timeframe", "1h")).await(10, TimeUnit.SECONDS);
    assertThat(added.statusCode()).isEqualTo(201);
    Eventually.await(Duration.ofSeconds(30), "SOL/USDT watcher in B", () ->
        Sql.count(dbs.trading(), "select count(*) from watchers where user_id = '" + DemoSeed.DEMO_USER + "' and symbol = 'SOL/USDT' and timeframe = '1h' and active") == 1);
    Eventually.await(Duration.ofSeconds(45), "signals for all three pairs", () -> {
      try {
        JsonArray s = signals();
        return covers(s, "BTC/USDT") && covers(s, "ETH/USDT") && covers(s, "SOL/USDT");
      } catch (Exception e) {
        return false;
      }
    });
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));

    for (Object o : signals()) {
      JsonObject s = (JsonObject) o;
      assertThat(s.getString("direction")).isIn("long", "short", "flat");
      assertThat(s.getDouble("score")).isBetween(0.0, 1.0);
      assertThat(s.getDouble("entry")).isPositive();
      assertThat(s.getJsonArray("targets")).isNotNull();
      assertThat(s.getString("created_at")).isNotBlank();
      if (!s.getString("direction").equals("flat")) {
        assertThat(s.getDouble("stop")).isPositive();
        assertThat(s.getJsonArray("targets")).hasSize(3);
      }
    }

    // Win rates: the backfilled signals older than their horizon are resolved.
    Eventually.await(Duration.ofSeconds(30), "win rates for the three pairs", () -> {
      try {
        JsonArray w = get("/win-rates").bodyAsJsonObject().getJsonArray("win_rates");
        return covers(w, "BTC/USDT") && covers(w, "ETH/USDT") && covers(w, "SOL/USDT");
      } catch (Exception e) {
        return false;
      }
    });
    for (Object o : get("/win-rates").bodyAsJsonObject().getJsonArray("win_rates")) {
      JsonObject w = (JsonObject) o;
      assertThat(w.getInteger("sample_size")).isPositive();
      assertThat(w.getDouble("win_rate")).isBetween(0.0, 1.0);
      assertThat(w.getInteger("wins") + w.getInteger("losses")).isEqualTo(w.getInteger("sample_size"));
    }

    // Chat streams tokens grounded in the signal, then done with usage, charge and balance.
    HttpResponse<Buffer> chat =
        client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + token).putHeader("Accept", "text/event-stream")
            .sendJsonObject(new JsonObject().put("message", "What's the signal for BTC?")).await(30, TimeUnit.SECONDS);
    assertThat(chat.statusCode()).isEqualTo(200);
    List<Sse.Event> events = Sse.parse(chat.bodyAsString());
    String answer = events.stream().filter(e -> e.name().equals("token")).map(e -> e.data().getString("text")).reduce("", String::concat);
    JsonObject btc = signals().stream().map(o -> (JsonObject) o).filter(s -> s.getString("symbol").equals("BTC/USDT")).findFirst().orElseThrow();
    assertThat(answer).contains("BTC/USDT on 1h").contains(btc.getString("direction").toUpperCase()).doesNotContain("SOL/USDT");
    Sse.Event done = events.getLast();
    assertThat(done.name()).isEqualTo("done");
    assertThat(done.data().getString("provider")).isEqualTo("offline");
    assertThat(done.data().getJsonObject("usage").getLong("input_tokens")).isPositive();
    assertThat(done.data().getJsonObject("usage").getLong("output_tokens")).isPositive();
    long charged = done.data().getLong("credits_charged");
    assertThat(charged).isPositive();
    assertThat(done.data().getLong("balance")).isEqualTo(DemoSeed.DEMO_CREDITS - charged);
    String requestId = done.data().getString("request_id");
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where request_id = '" + requestId + "' and delta = " + (-charged))).isEqualTo(1);

    // Credits: balance and the recent rows, the chat's first.
    JsonObject credits = get("/credits").bodyAsJsonObject();
    assertThat(credits.getLong("balance")).isEqualTo(DemoSeed.DEMO_CREDITS - charged);
    assertThat(credits.getJsonArray("recent").getJsonObject(0).getString("request_id")).isEqualTo(requestId);
    assertThat(credits.getJsonArray("recent").getJsonObject(1).getLong("delta")).isEqualTo(DemoSeed.DEMO_CREDITS);
  }
}
