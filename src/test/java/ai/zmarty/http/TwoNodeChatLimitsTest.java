package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.RawHttp;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two API nodes (each its own Vert.x, pools and HTTP server) on the same databases: a user's chat
 * rate limit and stream cap hold over both together, not once per node.
 */
class TwoNodeChatLimitsTest {
  private static final int LIMIT = 4;
  private static final Map<String, String> ENV = Map.of("RATE_LIMIT_PER_MINUTE", Integer.toString(LIMIT), "MAX_CONCURRENT_STREAMS", "1",
      "OFFLINE_PACE", "30ms", "CHAT_STREAM_LEASE", "2s");
  private static Vertx vertxA;
  private static Vertx vertxB;
  private static TestNode a;
  private static TestNode b;
  private static TestDatabases.Pair dbs;

  @BeforeAll
  static void start() throws Exception {
    dbs = TestDatabases.migrated();
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
    a = TestNode.api(vertxA, dbs, ENV);
    b = TestNode.api(vertxB, dbs, ENV);
  }

  @AfterAll
  static void stop() {
    Future.join(vertxA.close(), vertxB.close()).await();
  }

  private static Future<HttpResponse<Buffer>> post(TestNode node, String path, UUID user) {
    return node.client().post(node.port(), "127.0.0.1", path).putHeader("Authorization", "Bearer " + TestJwt.valid(user)).putHeader("Accept", "text/event-stream")
        .sendJsonObject(new JsonObject().put("message", "how is BTC?"));
  }

  private static HttpResponse<Buffer> call(TestNode node, String path, UUID user) throws Exception {
    return post(node, path, user).await(60, TimeUnit.SECONDS);
  }

  /** The user's slots that count: a settled answer's row stays, ended (expired), until the user's next chat deletes it. */
  private static long slots(UUID user) {
    return Sql.count(dbs.chat(), "select count(*) from chat_stream_slots where user_id = '" + user + "' and expires_at > clock_timestamp()");
  }

  @Test
  void aUserSpreadingChatsOverBothNodesGetsTheLimitOnceNotOncePerNode() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 10_000);
    // chats and estimates together, alternating between the nodes
    String[][] calls = {{"a", "/chat"}, {"b", "/chat/estimate"}, {"b", "/chat"}, {"a", "/chat/estimate"}, {"a", "/chat"}, {"b", "/chat"}, {"b", "/chat/estimate"}};
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    for (String[] c : calls) {
      answers.add(call(c[0].equals("a") ? a : b, c[1], user));
    }
    for (int i = 0; i < LIMIT; i++) {
      assertThat(answers.get(i).statusCode()).as("call %d", i + 1).isEqualTo(200);
      assertThat(answers.get(i).getHeader("RateLimit-Remaining")).isEqualTo(Integer.toString(LIMIT - 1 - i));
      assertThat(answers.get(i).getHeader("RateLimit-Limit")).isEqualTo(Integer.toString(LIMIT));
      assertThat(answers.get(i).getHeader("RateLimit-Policy")).isEqualTo(LIMIT + ";w=60");
    }
    for (HttpResponse<Buffer> refused : answers.subList(LIMIT, calls.length)) {
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("rate_limited");
      assertThat(refused.bodyAsJsonObject().getString("message")).startsWith("too many requests");
      assertThat(Long.parseLong(refused.getHeader("Retry-After"))).isBetween(1L, 60L);
      assertThat(refused.getHeader("RateLimit-Remaining")).isEqualTo("0");
    }
    assertThat(Sql.count(dbs.chat(), "select count(*) from chat_messages m join chat_sessions s on s.id = m.session_id where s.user_id = '" + user + "'"))
        .as("two chats answered, question and answer each").isEqualTo(4);
  }

  @Test
  void aConcurrentBurstOverBothNodesIsCutAtTheLimit() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 10_000);
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 6 * LIMIT; i++) {
      all.add(post(i % 2 == 0 ? a : b, "/chat/estimate", user));
    }
    Future.all(all).await(60, TimeUnit.SECONDS);
    assertThat(all.stream().filter(f -> f.result().statusCode() == 200).count()).isEqualTo(LIMIT);
    assertThat(all.stream().filter(f -> f.result().statusCode() == 429).count()).isEqualTo(5 * LIMIT);
  }

  @Test
  void aStreamOnOneNodeHoldsTheUsersOnlySlotOnTheOther() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 10_000);
    Future<HttpResponse<Buffer>> first = post(a, "/chat", user);
    Eventually.await(Duration.ofSeconds(20), "the first answer holds its slot", () -> slots(user) == 1);
    HttpResponse<Buffer> second = call(b, "/chat", user);
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.bodyAsJsonObject().getString("message")).contains("streaming at once");
    assertThat(second.getHeader("Retry-After")).isEqualTo("1");
    assertThat(second.getHeader("RateLimit-Remaining")).as("the refused stream was not counted").isEqualTo(Integer.toString(LIMIT - 1));
    assertThat(first.await(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    Eventually.await(Duration.ofSeconds(10), "the finished answer gave its slot back", () -> slots(user) == 0);
    assertThat(call(b, "/chat", user).statusCode()).isEqualTo(200);
  }

  @Test
  void aClientThatLeavesMidStreamGivesTheSlotBack() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 10_000);
    String body = new JsonObject().put("message", "how is BTC?").encode();
    try (RawHttp raw = new RawHttp(a.port())) {
      raw.send("POST /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestJwt.valid(user) + "\r\nAccept: text/event-stream\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
      Eventually.await(Duration.ofSeconds(20), "the answer holds its slot", () -> slots(user) == 1);
    }
    Eventually.await(Duration.ofSeconds(10), "the slot is given back when the client left", () -> slots(user) == 0);
    assertThat(call(b, "/chat", user).statusCode()).isEqualTo(200);
  }

  @Test
  void aSlotLeftByAKilledNodeStopsCountingWhenItsLeaseLapses() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 10_000);
    // what a node killed mid-stream leaves behind: its slot, renewed until the kill, never deleted
    Sql.exec(dbs.chat(), "insert into chat_stream_slots (slot_id, user_id, node, expires_at) values (gen_random_uuid(), '" + user + "', 'killed', clock_timestamp() + interval '2 seconds')");
    long killed = System.nanoTime();
    assertThat(call(b, "/chat", user).statusCode()).isEqualTo(429);
    HttpResponse<Buffer> after = Eventually.until(Duration.ofSeconds(30), "a chat passes once the lease lapsed", () -> {
      try {
        return call(b, "/chat", user);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, r -> r.statusCode() != 429);
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - killed)).isGreaterThan(Duration.ofMillis(1500));
    assertThat(Sql.count(dbs.chat(), "select count(*) from chat_stream_slots where node = 'killed' and user_id = '" + user + "'")).isZero();
  }

  @Test
  void aStoppingNodeGivesBackTheSlotsOfItsAnswersAtOnce() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 10_000);
    Vertx vertxC = Vertx.vertx();
    Map<String, String> env = new HashMap<>(ENV);
    env.put("CHAT_STREAM_LEASE", "10m"); // a slot left behind would count for ten minutes
    env.put("OFFLINE_PACE", "200ms");
    TestNode c = TestNode.api(vertxC, dbs, env);
    Future<HttpResponse<Buffer>> running = post(c, "/chat", user);
    Eventually.await(Duration.ofSeconds(20), "the answer holds its slot", () -> slots(user) == 1);
    // as Node.close stops a node on SIGTERM: the wiring (answers drained, verticles undeployed), then Vert.x
    c.wiring().close().await(60, TimeUnit.SECONDS);
    assertThat(slots(user)).isZero();
    assertThat(running.await(10, TimeUnit.SECONDS).bodyAsString()).as("the answer was ended by the stop").contains("shutting_down");
    vertxC.close().await(30, TimeUnit.SECONDS);
    assertThat(call(a, "/chat", user).statusCode()).isEqualTo(200);
  }
}
