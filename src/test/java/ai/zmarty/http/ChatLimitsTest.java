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
}
