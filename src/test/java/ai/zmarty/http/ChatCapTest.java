package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;

/** CHAT_MAX_CREDITS_PER_REQUEST through the real router, credit service and HTTP, with the offline analyst. */
@ExtendWith(VertxExtension.class)
class ChatCapTest {
  private static TestDatabases.Pair dbs;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  private static int deploy(Vertx vertx, long cap) throws Exception {
    return TestNode.api(vertx, dbs, Map.of("OFFLINE_PACE", "1ms", "CHAT_MAX_CREDITS_PER_REQUEST", Long.toString(cap))).port();
  }

  private static HttpResponse<Buffer> post(Vertx vertx, int port, String path, UUID user, String message, boolean sse) throws Exception {
    var request = WebClient.create(vertx).post(port, "127.0.0.1", path).putHeader("Authorization", "Bearer " + TestJwt.valid(user));
    if (sse) {
      request.putHeader("Accept", "text/event-stream");
    }
    return request.sendJsonObject(new JsonObject().put("message", message)).await(30, TimeUnit.SECONDS);
  }

  @Test
  void aProUserUnderASmallCapHoldsAtMostTheCapWithALoweredTokenBudget(Vertx vertx) throws Exception {
    int port = deploy(vertx, 10);
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    JsonObject estimate = post(vertx, port, "/chat/estimate", user, "What's the signal for BTC?", false).bodyAsJsonObject();
    assertThat(estimate.getLong("max_credits")).isLessThanOrEqualTo(10);
    assertThat(estimate.getInteger("max_tokens")).isLessThan(4096);

    HttpResponse<Buffer> r = post(vertx, port, "/chat", user, "What's the signal for BTC?", true);
    assertThat(r.statusCode()).isEqualTo(200);
    List<Sse.Event> events = Sse.parse(r.bodyAsString());
    JsonObject done = events.get(events.size() - 1).data();
    assertThat(events.get(events.size() - 1).name()).isEqualTo("done");
    int budget = done.getInteger("max_tokens");
    assertThat(budget).isLessThan(4096).isPositive();
    assertThat(done.getLong("reserved")).isLessThanOrEqualTo(10);
    // offline 1/4/1: the budget is the most output whose worst case fits 10 credits
    long in = done.getJsonObject("usage").getLong("input_tokens");
    assertThat((in + 4L * budget + 999) / 1000 + 1).isLessThanOrEqualTo(10);
    assertThat((in + 4L * (budget + 1) + 999) / 1000 + 1).isGreaterThan(10);
    assertThat(done.getJsonObject("usage").getLong("output_tokens")).isLessThanOrEqualTo(budget);
    assertThat(done.getLong("credits_charged")).isLessThanOrEqualTo(10);
  }

  @Test
  void aPromptThatAloneReachesTheCapIs402NamingTheCapBeforeAnyModelCall(Vertx vertx) throws Exception {
    int port = deploy(vertx, 1);
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    HttpResponse<Buffer> r = post(vertx, port, "/chat", user, "What's the signal for BTC?", true);

    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(r.getHeader("content-type")).isEqualTo("application/json");
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("payment_required");
    assertThat(r.bodyAsJsonObject().getString("message")).contains("per-request cap of 1 credits");
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + user + "'")).isEqualTo(1);
    assertThat(Sql.count(dbs.chat(), "select count(*) from credit_holds where user_id = '" + user + "'")).isZero();
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000);
  }
}
