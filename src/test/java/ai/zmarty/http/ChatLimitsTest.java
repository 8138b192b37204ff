package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Eventually;
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
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ChatLimitsTest {

  private static Future<HttpResponse<Buffer>> chat(WebClient client, int port, UUID user) {
    return client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).putHeader("Accept", "text/event-stream")
        .sendJsonObject(new JsonObject().put("message", "hi"));
  }

  @Test
  void theFourthRequestInAMinuteIs429WithRetryAfter(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.api(vertx, dbs, Map.of("RATE_LIMIT_PER_MINUTE", "3", "OFFLINE_PACE", "1ms"));
    WebClient client = node.client();
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    for (int i = 0; i < 3; i++) {
      assertThat(chat(client, node.port(), user).await(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    HttpResponse<Buffer> r = chat(client, node.port(), user).await(20, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("rate_limited");
    assertThat(Integer.parseInt(r.getHeader("Retry-After"))).isBetween(1, 60);
    assertThat(chat(client, node.port(), Users.create(dbs.chat(), "pro", 1000)).await(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void aSecondConcurrentStreamIs429(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.api(vertx, dbs, Map.of("MAX_CONCURRENT_STREAMS", "1", "OFFLINE_PACE", "30ms"));
    WebClient client = node.client();
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    Future<HttpResponse<Buffer>> first = chat(client, node.port(), user);
    // its credits are held once it passed the limits and reached the router: it is answering now
    Eventually.await(Duration.ofSeconds(10), "the first chat holds its credits", () -> Sql.count(dbs.chat(), "select count(*) from credit_holds where user_id = '" + user + "'") == 1);
    HttpResponse<Buffer> second = chat(client, node.port(), user).await(20, TimeUnit.SECONDS);
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(first.await(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(chat(client, node.port(), user).await(30, TimeUnit.SECONDS).statusCode()).as("released after the first ended").isEqualTo(200);
  }

  private static Future<HttpResponse<Buffer>> chatJson(WebClient client, int port, UUID user, JsonObject body, String key) {
    var req = client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user));
    if (key != null) {
      req.putHeader("Idempotency-Key", key);
    }
    return req.sendJsonObject(body);
  }

  /** The limits run in the hold's round trip, after the key and the turn are taken: a refusal gives both back. */
  @Test
  void aChatRefusedByTheLimitsHoldsNothingAndGivesItsKeyAndItsTurnBack(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.api(vertx, dbs, Map.of("RATE_LIMIT_PER_MINUTE", "1", "OFFLINE_PACE", "1ms"));
    WebClient client = node.client();
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    HttpResponse<Buffer> first = chatJson(client, node.port(), user, new JsonObject().put("message", "hi"), null).await(20, TimeUnit.SECONDS);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.getHeader("RateLimit-Remaining")).isEqualTo("0");
    String session = first.bodyAsJsonObject().getString("session_id");
    JsonObject again = new JsonObject().put("message", "and now?").put("session_id", session);

    HttpResponse<Buffer> refused = chatJson(client, node.port(), user, again, "key-1").await(20, TimeUnit.SECONDS);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("rate_limited");
    assertThat(Integer.parseInt(refused.getHeader("Retry-After"))).isBetween(1, 60);
    assertThat(refused.getHeader("RateLimit-Remaining")).isEqualTo("0");
    assertThat(Sql.count(dbs.chat(), "select count(*) from credit_holds where user_id = '" + user + "'")).as("nothing held").isZero();
    assertThat(Sql.count(dbs.chat(), "select count(*) from chat_stream_slots where user_id = '" + user + "'")).as("no slot").isZero();
    assertThat(Sql.one(dbs.chat(), "select turns from chat_sessions where id = '" + session + "'")).as("the turn went back").isEqualTo("1");
    assertThat(Sql.count(dbs.chat(), "select count(*) from chat_requests where idempotency_key = 'key-1'")).as("the key went back").isZero();

    Sql.exec(dbs.chat(), "delete from chat_rate_windows where user_id = '" + user + "'"); // the minute has passed
    HttpResponse<Buffer> retried = chatJson(client, node.port(), user, again, "key-1").await(20, TimeUnit.SECONDS);
    assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(200);
    assertThat(Sql.one(dbs.chat(), "select turns from chat_sessions where id = '" + session + "'")).isEqualTo("2");
  }
}
