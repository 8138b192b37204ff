package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.ChatApi;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.Sse;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.Users;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** /chat through the real router, credit service, ledger and HTTP, with the offline analyst. */
@ExtendWith(VertxExtension.class)
class ChatTest {
  private static TestDatabases.Pair dbs;
  private ChatApi api;
  private WebClient client;
  private int port;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void api(Vertx vertx) throws Exception {
    api = ChatApi.deploy(vertx, dbs, "20ms");
    port = api.port();
    client = api.client();
  }

  @Test
  void aStreamedAnswerEndsWithDoneAndIsChargedOnce() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    HttpResponse<Buffer> r = api.chat(user, "What's the signal for BTC?", true).await(30, TimeUnit.SECONDS);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).isEqualTo("text/event-stream");
    List<Sse.Event> events = Sse.parse(r.bodyAsString());
    assertThat(events).hasSizeGreaterThan(3);
    assertThat(events.subList(0, events.size() - 1)).allMatch(e -> e.name().equals("token"));
    String text = events.stream().filter(e -> e.name().equals("token")).map(e -> e.data().getString("text")).reduce("", String::concat);
    assertThat(text).startsWith("Offline analyst").contains("not watching any symbols");

    Sse.Event done = events.get(events.size() - 1);
    assertThat(done.name()).isEqualTo("done");
    assertThat(done.data().getString("provider")).isEqualTo("offline");
    long in = done.data().getJsonObject("usage").getLong("input_tokens");
    long out = done.data().getJsonObject("usage").getLong("output_tokens");
    assertThat(in).isPositive();
    assertThat(out).isPositive();
    long charged = done.data().getLong("credits_charged");
    // offline prices 1/4/1: ceil(in/1000 + 4·out/1000) + 1
    assertThat(charged).isEqualTo((in * 1 + out * 4 + 999) / 1000 + 1);
    assertThat(done.data().getLong("balance")).isEqualTo(1000 - charged);

    String requestId = done.data().getString("request_id");
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where request_id = '" + requestId + "'")).isEqualTo(1);
    assertThat(Sql.one(dbs.chat(), "select delta from credits_ledger where request_id = '" + requestId + "'")).isEqualTo(Long.toString(-charged));
    assertThat(Sql.count(dbs.chat(), "select count(*) from credit_holds where user_id = '" + user + "'")).isZero();
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000 - charged);

    HttpResponse<Buffer> credits = client.get(port, "127.0.0.1", "/credits").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).send().await(10, TimeUnit.SECONDS);
    assertThat(credits.bodyAsJsonObject().getLong("balance")).isEqualTo(1000 - charged);
    assertThat(credits.bodyAsJsonObject().getJsonArray("recent").getJsonObject(0).getString("request_id")).isEqualTo(requestId);
  }

  @Test
  void withoutEventStreamTheAnswerIsOneJsonBody() throws Exception {
    UUID user = Users.create(dbs.chat(), "free", 50);
    HttpResponse<Buffer> r = api.chat(user, "hello", false).await(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("answer")).startsWith("Offline analyst");
    assertThat(body.getLong("balance")).isEqualTo(50 - body.getLong("credits_charged"));
  }

  @Test
  void notEnoughCreditsIs402BeforeAnyModelCall() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 3);
    HttpResponse<Buffer> r = api.chat(user, "What's the signal for BTC?", true).await(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("payment_required");
    assertThat(r.bodyAsJsonObject().getString("message")).contains("3 are available");
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + user + "'")).isEqualTo(1);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(3);
  }

  @Test
  void badChatBodiesAre400() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 100);
    for (Buffer body : List.of(Buffer.buffer("{not json"), Buffer.buffer("{}"), Buffer.buffer("{\"message\": 42}"), Buffer.buffer("{\"message\": \"" + "x".repeat(4001) + "\"}"))) {
      HttpResponse<Buffer> r = client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).sendBuffer(body).await(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(body.toString().substring(0, Math.min(20, body.length()))).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    }
  }
}
