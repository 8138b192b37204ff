package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.FakeProvider;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.Sse;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Chat sessions in A through real HTTP, the router, the credit service and PostgreSQL. */
@ExtendWith(VertxExtension.class)
class ChatSessionsTest {
  private static TestDatabases.Pair dbs;
  private WebClient client;
  private int port;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  private void deploy(Vertx vertx, Map<String, String> env) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(Map.of("OFFLINE_PACE", "1ms", "MAX_CONCURRENT_STREAMS", "100", "RATE_LIMIT_PER_MINUTE", "1000"));
    all.putAll(env);
    TestNode node = TestNode.api(vertx, dbs, all);
    port = node.port();
    client = node.client();
  }

  private HttpResponse<Buffer> chat(UUID user, String message, String session) throws Exception {
    JsonObject body = new JsonObject().put("message", message);
    if (session != null) {
      body.put("session_id", session);
    }
    return client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).sendJsonObject(body).await(30, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> get(UUID user, String session) throws Exception {
    return client.get(port, "127.0.0.1", "/chat/sessions/" + session).putHeader("Authorization", "Bearer " + TestJwt.valid(user)).send().await(10, TimeUnit.SECONDS);
  }

  private static long ledgerRows(UUID user) {
    return Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + user + "'");
  }

  @Test
  void theSecondChatOfASessionCarriesTheFirstExchangeInItsPrompt(Vertx vertx) throws Exception {
    FakeProvider grok = FakeProvider.start(vertx);
    grok.always(FakeProvider.sse("xai/stream.sse"));
    deploy(vertx, Map.of("MODEL_PROVIDER", "auto", "XAI_API_KEY", "xai-test-key", "XAI_BASE_URL", grok.baseUrl("/v1")));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    HttpResponse<Buffer> first = client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).putHeader("Accept", "text/event-stream")
        .sendJsonObject(new JsonObject().put("message", "What's the signal for BTC?")).await(30, TimeUnit.SECONDS);
    List<Sse.Event> events = Sse.parse(first.bodyAsString());
    JsonObject done = events.get(events.size() - 1).data();
    String session = done.getString("session_id");
    assertThat(session).isNotBlank();
    assertThat(grok.requests.get(0).body().getJsonArray("messages")).hasSize(2);

    HttpResponse<Buffer> second = chat(user, "And for ETH?", session);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.bodyAsJsonObject().getString("session_id")).isEqualTo(session);

    io.vertx.core.json.JsonArray messages = grok.requests.get(1).body().getJsonArray("messages");
    assertThat(messages.stream().map(m -> ((JsonObject) m).getString("role")).toList()).containsExactly("system", "user", "assistant", "user");
    assertThat(messages.getJsonObject(1).getString("content")).isEqualTo("What's the signal for BTC?");
    assertThat(messages.getJsonObject(2).getString("content")).startsWith("BTC on 4h is a LONG with score 0.72");
    assertThat(messages.getJsonObject(3).getString("content")).isEqualTo("And for ETH?");

    assertThat(Sql.column(dbs.chat(), "select role || ':' || content from chat_messages where session_id = '" + session + "' order by id"))
        .hasSize(4).first().isEqualTo("user:What's the signal for BTC?");
    assertThat(Sql.column(dbs.chat(), "select request_id from chat_messages where session_id = '" + session + "' and role = 'assistant' order by id").get(0)).isEqualTo(done.getString("request_id"));
    assertThat(Sql.one(dbs.chat(), "select turns from chat_sessions where id = '" + session + "'")).isEqualTo("2");

    JsonObject stored = get(user, session).bodyAsJsonObject();
    assertThat(stored.getInteger("turns")).isEqualTo(2);
    assertThat(stored.getJsonArray("messages")).hasSize(4);
    assertThat(stored.getJsonArray("messages").getJsonObject(3).getString("role")).isEqualTo("assistant");
    grok.close();
  }

  @Test
  void aNewSessionWhoseAnswerFailsLeavesNoSessionAndNoCharge(Vertx vertx) throws Exception {
    FakeProvider grok = FakeProvider.start(vertx);
    grok.always(FakeProvider.error(503, "xai/server_error.json", Map.of()));
    deploy(vertx, Map.of("MODEL_PROVIDER", "auto", "XAI_API_KEY", "xai-test-key", "XAI_BASE_URL", grok.baseUrl("/v1")));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    HttpResponse<Buffer> r = chat(user, "What's the signal for BTC?", null);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(Sql.count(dbs.chat(), "select count(*) from chat_sessions where user_id = '" + user + "'")).isZero();
    assertThat(Sql.count(dbs.chat(), "select count(*) from chat_messages where user_id = '" + user + "'")).isZero();
    assertThat(ledgerRows(user)).isEqualTo(1);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000);
    grok.close();
  }

  @Test
  void theEleventhTurnIs409BeforeAnyCharge(Vertx vertx) throws Exception {
    deploy(vertx, Map.of());
    UUID user = Users.create(dbs.chat(), "free", 1000);
    String session = chat(user, "hello", null).bodyAsJsonObject().getString("session_id");
    for (int i = 2; i <= 10; i++) {
      assertThat(chat(user, "turn " + i, session).statusCode()).isEqualTo(200);
    }
    long rows = ledgerRows(user);
    long balance = Users.balance(dbs.chat(), user);

    HttpResponse<Buffer> r = chat(user, "turn 11", session);

    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("conflict");
    assertThat(r.bodyAsJsonObject().getString("message")).contains("start a new session");
    assertThat(ledgerRows(user)).isEqualTo(rows);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(balance);
    assertThat(Sql.count(dbs.chat(), "select count(*) from chat_messages where session_id = '" + session + "'")).isEqualTo(20);
    assertThat(chat(user, "a fresh start", null).statusCode()).isEqualTo(200);
  }

  @Test
  void anotherUsersSessionIs404AndNotCharged(Vertx vertx) throws Exception {
    deploy(vertx, Map.of());
    UUID x = Users.create(dbs.chat(), "free", 1000);
    UUID y = Users.create(dbs.chat(), "free", 1000);
    String session = chat(x, "hello", null).bodyAsJsonObject().getString("session_id");

    assertThat(get(y, session).statusCode()).isEqualTo(404);
    assertThat(get(y, session).bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    HttpResponse<Buffer> r = chat(y, "let me in", session);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(ledgerRows(y)).isEqualTo(1);
    assertThat(get(x, session).statusCode()).isEqualTo(200);
    assertThat(get(x, UUID.randomUUID().toString()).statusCode()).isEqualTo(404);
    assertThat(get(x, "not-a-uuid").statusCode()).isEqualTo(404);
    assertThat(chat(x, "hello", "not-a-uuid").statusCode()).isEqualTo(400);
  }

  @Test
  void rlsShowsAUserOnlyTheirOwnSessionsAndMessages(Vertx vertx) throws Exception {
    deploy(vertx, Map.of());
    UUID x = Users.create(dbs.chat(), "free", 1000);
    UUID y = Users.create(dbs.chat(), "free", 1000);
    String session = chat(x, "hello", null).bodyAsJsonObject().getString("session_id");

    assertThat(countAs(y, "select count(*) from chat_messages where session_id = '" + session + "'")).isZero();
    assertThat(countAs(y, "select count(*) from chat_sessions where id = '" + session + "'")).isZero();
    assertThat(countAs(x, "select count(*) from chat_messages where session_id = '" + session + "'")).isEqualTo(2);
    assertThat(countAs(x, "select count(*) from chat_sessions where id = '" + session + "'")).isEqualTo(1);
  }

  /** A count read the way PostgREST reads for a user: role authenticated with the user's JWT claims. */
  private static long countAs(UUID user, String sql) throws Exception {
    try (Connection c = Sql.connect(dbs.chat());
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("select set_config('request.jwt.claims', '{\"sub\":\"" + user + "\",\"role\":\"authenticated\"}', true)");
      s.execute("set local role authenticated");
      try (ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        long n = rs.getLong(1);
        c.rollback();
        return n;
      }
    }
  }
}
