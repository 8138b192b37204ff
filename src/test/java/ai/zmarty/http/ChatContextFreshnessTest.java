package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.FakeProvider;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The router keeps each pair's newest signal and win rates between chats (they are the pair's, shared
 * by its watchers): a chat sees a new signal or new win rates once their event has arrived, and not a
 * database read per chat before that. Each user's pairs are kept until a change to them is heard,
 * whoever makes it (database A's notification, or the API's event). Real HTTP, router, ledger and
 * databases; fake Grok records the prompts.
 */
@ExtendWith(VertxExtension.class)
class ChatContextFreshnessTest {
  private static TestDatabases.Pair dbs;
  private FakeProvider grok;
  private WebClient client;
  private int port;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void api(Vertx vertx) throws Exception {
    grok = FakeProvider.start(vertx).always(FakeProvider.sse("xai/stream.sse"));
    TestNode node = TestNode.api(vertx, dbs, Map.of("MODEL_PROVIDER", "auto", "XAI_API_KEY", "xai-test-key", "XAI_BASE_URL", grok.baseUrl("/v1")));
    port = node.port();
    client = node.client();
  }

  /** One chat; returns the system prompt Grok was sent. */
  private String promptOfAChat(UUID user) throws Exception {
    int before = grok.requests.size();
    var r = client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).putHeader("Accept", "text/event-stream")
        .sendJsonObject(new JsonObject().put("message", "What now?")).await(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(grok.requests).hasSize(before + 1);
    return grok.requests.getLast().body().getJsonArray("messages").getJsonObject(0).getString("content");
  }

  private interface PromptCheck {
    boolean holds() throws Exception;
  }

  /** Chats until {@code check} holds, one round every 500 ms for 10 s (the user's rate limit is 60 a minute). */
  private static void awaitPrompts(String what, PromptCheck check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not true within 10 s: " + what);
      }
      Thread.sleep(500);
    }
  }

  private static void signal(String symbol, String barTime, double score) {
    Sql.exec(dbs.trading(), "insert into signals (symbol, timeframe, bar_time, direction, score, entry, stop, targets) values ('" + symbol + "', '1h', '" + barTime + "', 'long', " + score + ", 100, 95, '[110]')");
  }

  private static void winRate(String symbol, String rate) {
    Sql.exec(dbs.trading(), "insert into win_rate (symbol, timeframe, window_name, wins, losses, sample_size, win_rate, ci_low, ci_high, computed_at) values ('" + symbol
        + "', '1h', 'all', 3, 1, 4, " + rate + ", 0.3, 0.9, now()) on conflict (symbol, timeframe, window_name) do update set win_rate = excluded.win_rate");
  }

  private static JsonObject pair(String symbol) {
    return new JsonObject().put("symbol", symbol).put("timeframe", "1h");
  }

  @Test
  void aNewSignalReachesTheNextChatsPromptWhenItsEventArrives(Vertx vertx) throws Exception {
    String symbol = "FRESH/USDT";
    UUID user = Users.create(dbs.chat(), "pro", 10_000);
    UUID other = Users.create(dbs.chat(), "pro", 10_000);
    Sql.exec(dbs.chat(), "insert into user_symbols (user_id, symbol, timeframe) values ('" + user + "', '" + symbol + "', '1h'), ('" + other + "', '" + symbol + "', '1h')");
    signal(symbol, "2026-11-01T10:00:00Z", 0.61);

    assertThat(promptOfAChat(user)).contains(symbol).contains("score 0.61");

    // a signal written without its event: the pair's facts are kept, for this user and every other watcher
    signal(symbol, "2026-11-01T11:00:00Z", 0.83);
    assertThat(promptOfAChat(user)).contains("score 0.61").doesNotContain("score 0.83");
    assertThat(promptOfAChat(other)).contains("score 0.61");

    // its event (as the outbox publishes it) makes the next chat read the pair again
    vertx.eventBus().publish(Addresses.EVENTS_SIGNAL_CREATED, pair(symbol).put("score", 0.83).put("bar_time", "2026-11-01T11:00:00Z"));
    Eventually.await(Duration.ofSeconds(10), "the new signal in the prompt", () -> {
      try {
        return promptOfAChat(other).contains("score 0.83");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void aUsersPairsAreKeptBetweenChatsUntilTheyChangeWhoeverChangesThem() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 10_000);
    Sql.exec(dbs.chat(), "insert into user_symbols (user_id, symbol, timeframe) values ('" + user + "', 'DOT/USDT', '1h')");
    assertThat(promptOfAChat(user)).contains("DOT/USDT");

    // changed where the router does not hear it (the notification's trigger off): the list is kept
    Sql.exec(dbs.chat(), "alter table user_symbols disable trigger user_symbols_announce");
    try {
      Sql.exec(dbs.chat(), "insert into user_symbols (user_id, symbol, timeframe) values ('" + user + "', 'LINK/USDT', '1h')");
    } finally {
      Sql.exec(dbs.chat(), "alter table user_symbols enable trigger user_symbols_announce");
    }
    assertThat(promptOfAChat(user)).contains("DOT/USDT").doesNotContain("LINK/USDT");

    // written past the API (as a Data API client could): database A announces it, the next chats read the list again
    Sql.exec(dbs.chat(), "insert into user_symbols (user_id, symbol, timeframe) values ('" + user + "', 'UNI/USDT', '1h')");
    awaitPrompts("the pairs written past the API in the prompt", () -> promptOfAChat(user).contains("UNI/USDT"));
    assertThat(promptOfAChat(user)).contains("DOT/USDT", "LINK/USDT", "UNI/USDT");

    // the API announces its change before it answers: the very next chat has the new list
    var added = client.post(port, "127.0.0.1", "/symbols").putHeader("Authorization", "Bearer " + TestJwt.valid(user))
        .sendJsonObject(new JsonObject().put("symbol", "ATOM/USDT").put("timeframe", "1h")).await(10, TimeUnit.SECONDS);
    assertThat(added.statusCode()).as(added.bodyAsString()).isEqualTo(201);
    assertThat(promptOfAChat(user)).contains("DOT/USDT", "LINK/USDT", "ATOM/USDT");

    var removed = client.delete(port, "127.0.0.1", "/symbols/DOT%2FUSDT/1h").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).send().await(10, TimeUnit.SECONDS);
    assertThat(removed.statusCode()).as(removed.bodyAsString()).isEqualTo(200);
    assertThat(promptOfAChat(user)).contains("LINK/USDT", "ATOM/USDT").doesNotContain("DOT/USDT");

    // removed past the API, by a transaction that changes another user's list too: each is told
    UUID other = Users.create(dbs.chat(), "pro", 10_000);
    Sql.exec(dbs.chat(), "insert into user_symbols (user_id, symbol, timeframe) values ('" + other + "', 'AVAX/USDT', '1h')");
    assertThat(promptOfAChat(other)).contains("AVAX/USDT");
    Sql.exec(dbs.chat(), "delete from user_symbols where (user_id = '" + user + "' and symbol = 'LINK/USDT') or (user_id = '" + other + "' and symbol = 'AVAX/USDT')");
    awaitPrompts("both removals in the prompts", () -> !promptOfAChat(user).contains("LINK/USDT") && !promptOfAChat(other).contains("AVAX/USDT"));
  }

  @Test
  void newWinRatesReachTheNextChatsPromptWhenTheirEventArrives(Vertx vertx) throws Exception {
    String symbol = "RATES/USDT";
    UUID user = Users.create(dbs.chat(), "pro", 10_000);
    Sql.exec(dbs.chat(), "insert into user_symbols (user_id, symbol, timeframe) values ('" + user + "', '" + symbol + "', '1h')");
    winRate(symbol, "0.55");

    assertThat(promptOfAChat(user)).contains("win rate (all) 0.55");
    winRate(symbol, "0.77");
    assertThat(promptOfAChat(user)).contains("win rate (all) 0.55");

    vertx.eventBus().publish(Addresses.EVENTS_WINRATE_UPDATED, new JsonObject().put("pairs", new JsonArray().add(pair(symbol))));
    Eventually.await(Duration.ofSeconds(10), "the new win rate in the prompt", () -> {
      try {
        return promptOfAChat(user).contains("win rate (all) 0.77");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }
}
