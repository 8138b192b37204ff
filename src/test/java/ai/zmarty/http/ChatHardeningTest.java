package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.Wiring;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.Sse;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 9's chat findings, each as the hostile tester sent it, with the fixed answer. */
@ExtendWith(VertxExtension.class)
class ChatHardeningTest {
  private static TestDatabases.Pair dbs;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  private static Wiring deploy(Vertx vertx, String pace, int ratePerMinute) throws Exception {
    return TestNode.api(vertx, dbs, Map.of("OFFLINE_PACE", pace, "MAX_CONCURRENT_STREAMS", "10", "RATE_LIMIT_PER_MINUTE", Integer.toString(ratePerMinute))).wiring();
  }

  private static HttpResponse<Buffer> post(WebClient client, int port, String path, UUID user, String key, JsonObject body) throws Exception {
    var request = client.post(port, "127.0.0.1", path).putHeader("Authorization", "Bearer " + TestJwt.valid(user));
    if (key != null) {
      request.putHeader("Idempotency-Key", key);
    }
    return request.sendJsonObject(body).await(30, TimeUnit.SECONDS);
  }

  @Test
  void aNulByteInTheMessageIs400NamingTheFieldBeforeAnyModelCall(Vertx vertx) throws Exception {
    Wiring w = deploy(vertx, "1ms", 1000);
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    HttpResponse<Buffer> r = post(WebClient.create(vertx), w.httpPort().orElseThrow(), "/chat", user, null, new JsonObject().put("message", "What's the signal for BTC?\u0000"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    assertThat(r.bodyAsJsonObject().getString("message")).startsWith("message ").contains("NUL");
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000);
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + user + "' and delta < 0")).isZero();
    assertThat(Sql.count(dbs.chat(), "select count(*) from credit_holds where user_id = '" + user + "'")).isZero();
  }

  @Test
  void anIdempotencyKeyFromASignedUserWithoutAProfileIs403NotA500(Vertx vertx) throws Exception {
    Wiring w = deploy(vertx, "1ms", 1000);
    UUID stranger = UUID.randomUUID(); // a correctly signed token, no profile row
    HttpResponse<Buffer> r = post(WebClient.create(vertx), w.httpPort().orElseThrow(), "/chat", stranger, "key-1", new JsonObject().put("message", "hi"));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.getHeader("content-type")).isEqualTo("application/json");
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
    assertThat(r.bodyAsJsonObject().getString("message")).contains("no profile");
  }

  @Test
  void theEstimateSharesTheChatRateLimit(Vertx vertx) throws Exception {
    Wiring w = deploy(vertx, "1ms", 3);
    WebClient client = WebClient.create(vertx);
    int port = w.httpPort().orElseThrow();
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    JsonObject hi = new JsonObject().put("message", "hi");
    assertThat(post(client, port, "/chat/estimate", user, null, hi).statusCode()).isEqualTo(200);
    assertThat(post(client, port, "/chat/estimate", user, null, hi).statusCode()).isEqualTo(200);
    assertThat(post(client, port, "/chat", user, null, hi).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> estimate = post(client, port, "/chat/estimate", user, null, hi);
    assertThat(estimate.statusCode()).isEqualTo(429);
    assertThat(estimate.bodyAsJsonObject().getString("error")).isEqualTo("rate_limited");
    assertThat(estimate.getHeader("Retry-After")).isNotNull();
    assertThat(post(client, port, "/chat", user, null, hi).statusCode()).as("the estimates counted against the chat's limit").isEqualTo(429);
  }

  @Test
  void aTurnThatCannotBeStoredIsNotCharged(Vertx vertx) throws Exception {
    Wiring w = deploy(vertx, "1ms", 1000);
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    // a real storage failure for this user's messages only
    Sql.exec(dbs.chat(), "create or replace function test_refuse_messages() returns trigger language plpgsql as $$ begin if new.user_id = '" + user
        + "' then raise exception 'disk full (test)'; end if; return new; end $$");
    Sql.exec(dbs.chat(), "create trigger test_refuse_messages before insert on chat_messages for each row execute function test_refuse_messages()");
    try {
      HttpResponse<Buffer> r = post(WebClient.create(vertx), w.httpPort().orElseThrow(), "/chat", user, "store-fails", new JsonObject().put("message", "What's the signal for BTC?"));

      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("internal");
      assertThat(r.bodyAsJsonObject().getString("message")).contains("could not be stored").contains("not charged");
      assertThat(r.bodyAsJsonObject().getLong("credits_charged")).isZero();
      // the settlement and the turn are one transaction: the failed insert undid the charge, nothing to refund
      assertThat(Users.balance(dbs.chat(), user)).as("nothing charged").isEqualTo(1000);
      assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + user + "' and (delta < 0 or reason = 'refund')")).isZero();
      assertThat(Sql.count(dbs.chat(), "select count(*) from chat_sessions where user_id = '" + user + "'")).as("no session without its turn").isZero();
      assertThat(Sql.count(dbs.chat(), "select count(*) from chat_requests where user_id = '" + user + "'")).as("the key was released").isZero();
      assertThat(Sql.count(dbs.chat(), "select count(*) from credit_holds where user_id = '" + user + "'")).isZero();
    } finally {
      Sql.exec(dbs.chat(), "drop trigger test_refuse_messages on chat_messages");
    }
  }

  @Test
  void expiredHoldRowsAreDeletedAtTheUsersNextReservation(Vertx vertx) throws Exception {
    Wiring w = deploy(vertx, "1ms", 1000);
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    Sql.exec(dbs.chat(), "insert into credit_holds (request_id, user_id, amount, expires_at) values ('dead-node-1', '" + user + "', 50, now() - interval '1 minute')");
    assertThat(post(WebClient.create(vertx), w.httpPort().orElseThrow(), "/chat", user, null, new JsonObject().put("message", "hi")).statusCode()).isEqualTo(200);
    assertThat(Sql.count(dbs.chat(), "select count(*) from credit_holds where request_id = 'dead-node-1'")).isZero();
  }

  @Test
  void stoppingTheNodeMidStreamEndsWithShuttingDownChargesWhatWasDeliveredAndReleasesTheKey(Vertx vertx) throws Exception {
    Wiring w = deploy(vertx, "150ms", 1000);
    int port = w.httpPort().orElseThrow();
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    HttpClient http = vertx.createHttpClient();
    Promise<Buffer> body = Promise.promise();
    Buffer received = Buffer.buffer();
    String[] requestId = new String[1];
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI("/chat")
        .putHeader("Authorization", "Bearer " + TestJwt.valid(user)).putHeader("Accept", "text/event-stream").putHeader("Idempotency-Key", "stop-1").putHeader("content-type", "application/json");
    http.request(options).compose(req -> req.send(new JsonObject().put("message", "What's the signal for BTC?").encode())).onSuccess(resp -> {
      requestId[0] = resp.getHeader("x-request-id");
      boolean[] stopping = {false};
      resp.handler(chunk -> {
        received.appendBuffer(chunk);
        if (!stopping[0] && received.toString().contains("event: token")) {
          stopping[0] = true;
          w.close(); // the node stops mid-answer, as on SIGTERM
        }
      });
      resp.endHandler(v -> body.tryComplete(received));
      resp.exceptionHandler(body::tryFail);
    }).onFailure(body::tryFail);

    List<Sse.Event> events = Sse.parse(body.future().await(30, TimeUnit.SECONDS).toString());
    Sse.Event last = events.getLast();
    assertThat(last.name()).isEqualTo("error");
    assertThat(last.data().getString("error")).isEqualTo("shutting_down");
    long charged = last.data().getLong("credits_charged");
    assertThat(charged).as("the delivered tokens are charged").isPositive();
    assertThat(events.stream().filter(e -> e.name().equals("token")).count()).isPositive();
    assertThat(Sql.one(dbs.chat(), "select delta from credits_ledger where request_id = '" + requestId[0] + "'")).isEqualTo(Long.toString(-charged));
    assertThat(Sql.count(dbs.chat(), "select count(*) from credit_holds where user_id = '" + user + "'")).as("no hold outlives the stop").isZero();
    assertThat(Sql.count(dbs.chat(), "select count(*) from chat_requests where user_id = '" + user + "'")).as("the interrupted key is released").isZero();
    assertThat(Sql.count(dbs.chat(), "select count(*) from chat_messages where request_id = '" + requestId[0] + "'")).as("the paid turn is stored whole").isEqualTo(2);

    // the node comes back: a retry with the same key runs (not 409)
    Wiring again = deploy(vertx, "1ms", 1000);
    HttpResponse<Buffer> retry = post(WebClient.create(vertx), again.httpPort().orElseThrow(), "/chat", user, "stop-1", new JsonObject().put("message", "What's the signal for BTC?"));
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.bodyAsJsonObject().getString("answer")).startsWith("Offline analyst");
  }
}
