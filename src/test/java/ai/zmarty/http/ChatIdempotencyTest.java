package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.Sse;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
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

/** {@code Idempotency-Key} on POST /chat through real HTTP, the router, the ledger and PostgreSQL. */
@ExtendWith(VertxExtension.class)
class ChatIdempotencyTest {
  private static TestDatabases.Pair dbs;
  private WebClient client;
  private int port;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void api(Vertx vertx) throws Exception {
    TestNode node = TestNode.api(vertx, dbs, Map.of("OFFLINE_PACE", "10ms", "MAX_CONCURRENT_STREAMS", "100", "RATE_LIMIT_PER_MINUTE", "1000"));
    port = node.port();
    client = node.client();
  }

  private Future<HttpResponse<Buffer>> chat(UUID user, String key, boolean sse) {
    var request = client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).putHeader("Idempotency-Key", key);
    if (sse) {
      request.putHeader("Accept", "text/event-stream");
    }
    return request.sendJsonObject(new JsonObject().put("message", "What's the signal for BTC?"));
  }

  private static long charges(UUID user) {
    return Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + user + "' and delta < 0");
  }

  @Test
  void aRetryWithTheSameKeyGetsTheFirstResultAndIsChargedOnce() throws Exception {
    UUID user = Users.create(dbs.chat(), "free", 1000);
    HttpResponse<Buffer> first = chat(user, "key-1", false).await(30, TimeUnit.SECONDS);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.getHeader("Idempotent-Replayed")).isNull();
    JsonObject a = first.bodyAsJsonObject();

    HttpResponse<Buffer> again = chat(user, "key-1", false).await(30, TimeUnit.SECONDS);
    HttpResponse<Buffer> againAsSse = chat(user, "key-1", true).await(30, TimeUnit.SECONDS);

    assertThat(againAsSse.statusCode()).isEqualTo(200);
    assertThat(againAsSse.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(againAsSse.getHeader("content-type")).isEqualTo("text/event-stream");
    java.util.List<Sse.Event> events = Sse.parse(againAsSse.bodyAsString());
    assertThat(events).extracting(Sse.Event::name).containsExactly("token", "done");
    assertThat(events.get(0).data().getString("text")).isEqualTo(a.getString("answer"));
    JsonObject replayedDone = events.get(1).data().copy().put("answer", events.get(0).data().getString("text"));

    assertThat(again.getHeader("content-type")).isEqualTo("application/json");
    for (HttpResponse<Buffer> r : java.util.List.of(again, againAsSse)) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.getHeader("Idempotent-Replayed")).isEqualTo("true");
      JsonObject b = r == again ? r.bodyAsJsonObject() : replayedDone;
      assertThat(b.getString("answer")).isEqualTo(a.getString("answer")).startsWith("Offline analyst");
      assertThat(b.getLong("credits_charged")).isEqualTo(a.getLong("credits_charged"));
      assertThat(b.getLong("balance")).isEqualTo(a.getLong("balance"));
      assertThat(b.getString("request_id")).isEqualTo(a.getString("request_id"));
      assertThat(b.getString("session_id")).isEqualTo(a.getString("session_id"));
      assertThat(b.getJsonObject("usage")).isEqualTo(a.getJsonObject("usage"));
    }
    assertThat(charges(user)).isEqualTo(1);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000 - a.getLong("credits_charged"));
    assertThat(Sql.one(dbs.chat(), "select turns from chat_sessions where id = '" + a.getString("session_id") + "'")).isEqualTo("1");
  }

  @Test
  void aRetryWhileTheFirstStillRunsIs409AndOnlyTheFirstIsCharged() throws Exception {
    UUID user = Users.create(dbs.chat(), "free", 1000);
    Future<HttpResponse<Buffer>> first = chat(user, "key-2", true);
    Eventually.await(Duration.ofSeconds(10), "the first request claimed its key",
        () -> Sql.count(dbs.chat(), "select count(*) from chat_requests where user_id = '" + user + "' and status = 'running'") == 1);

    HttpResponse<Buffer> second = chat(user, "key-2", true).await(30, TimeUnit.SECONDS);

    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(second.bodyAsJsonObject().getString("error")).isEqualTo("conflict");
    assertThat(second.bodyAsJsonObject().getString("message")).contains("in progress");
    assertThat(first.await(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(charges(user)).isEqualTo(1);
    assertThat(Sql.one(dbs.chat(), "select status from chat_requests where user_id = '" + user + "'")).isEqualTo("done");
  }

  @Test
  void twoRequestsSentAtOnceWithOneKeyRunOnce() throws Exception {
    UUID user = Users.create(dbs.chat(), "free", 1000);
    var both = Future.all(chat(user, "key-race", false), chat(user, "key-race", false)).await(30, TimeUnit.SECONDS);
    java.util.List<Integer> statuses = java.util.stream.Stream.of(both.<HttpResponse<Buffer>>resultAt(0), both.<HttpResponse<Buffer>>resultAt(1)).map(HttpResponse::statusCode).sorted().toList();
    assertThat(statuses).containsExactly(200, 409);
    assertThat(charges(user)).isEqualTo(1);
  }

  @Test
  void differentKeysAreTwoRequestsChargedTwice() throws Exception {
    UUID user = Users.create(dbs.chat(), "free", 1000);
    JsonObject a = chat(user, "key-a", false).await(30, TimeUnit.SECONDS).bodyAsJsonObject();
    JsonObject b = chat(user, "key-b", false).await(30, TimeUnit.SECONDS).bodyAsJsonObject();
    assertThat(a.getString("request_id")).isNotEqualTo(b.getString("request_id"));
    assertThat(charges(user)).isEqualTo(2);
  }

  @Test
  void theSameKeyOfAnotherUserIsTheirOwn() throws Exception {
    UUID x = Users.create(dbs.chat(), "free", 1000);
    UUID y = Users.create(dbs.chat(), "free", 1000);
    chat(x, "shared-key", false).await(30, TimeUnit.SECONDS);
    HttpResponse<Buffer> r = chat(y, "shared-key", false).await(30, TimeUnit.SECONDS);
    assertThat(r.getHeader("Idempotent-Replayed")).isNull();
    assertThat(charges(y)).isEqualTo(1);
  }

  @Test
  void aRefusedRequestGivesItsKeyBack() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 3);
    assertThat(chat(user, "key-poor", false).await(30, TimeUnit.SECONDS).statusCode()).isEqualTo(402);
    assertThat(Sql.count(dbs.chat(), "select count(*) from chat_requests where user_id = '" + user + "'")).isZero();
    assertThat(chat(user, "key-poor", false).await(30, TimeUnit.SECONDS).statusCode()).isEqualTo(402);
  }

  @Test
  void aKeyLongerThan200CharactersIs400() throws Exception {
    UUID user = Users.create(dbs.chat(), "free", 1000);
    HttpResponse<Buffer> r = chat(user, "k".repeat(201), false).await(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("message")).contains("Idempotency-Key");
    assertThat(chat(user, "k".repeat(200), false).await(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(charges(user)).isEqualTo(1);
  }
}
