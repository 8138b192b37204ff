package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.router.TokenCounter;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.FakeProvider;
import ai.zmarty.testing.LogLines;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * /chat through the real HTTP, router, credit service and ledger, with MODEL_PROVIDER=auto and the
 * real adapters pointed at fake Grok, GPT and Claude servers replaying recorded streams.
 */
@ExtendWith(VertxExtension.class)
class ProviderRoutingTest {
  private static TestDatabases.Pair dbs;
  private FakeProvider grok;
  private FakeProvider gpt;
  private FakeProvider claude;
  private WebClient client;
  private int port;
  /** The router logs each breaker turning half-open: the tests wait for that, not for the clock. */
  private final LogLines logs = LogLines.capture();

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void api(Vertx vertx) throws Exception {
    grok = FakeProvider.start(vertx);
    gpt = FakeProvider.start(vertx);
    claude = FakeProvider.start(vertx);
    Map<String, String> env = Map.ofEntries(
        Map.entry("MODEL_PROVIDER", "auto"),
        Map.entry("XAI_API_KEY", "xai-test-key"),
        Map.entry("XAI_BASE_URL", grok.baseUrl("/v1")),
        Map.entry("OPENAI_API_KEY", "openai-test-key"),
        Map.entry("OPENAI_BASE_URL", gpt.baseUrl("/v1")),
        Map.entry("ANTHROPIC_API_KEY", "anthropic-test-key"),
        Map.entry("ANTHROPIC_BASE_URL", claude.baseUrl("")),
        Map.entry("PROVIDER_FIRST_BYTE_TIMEOUT", "2s"),
        Map.entry("PROVIDER_IDLE_TIMEOUT", "2s"),
        Map.entry("PROVIDER_BREAKER_FAILURES", "2"),
        Map.entry("PROVIDER_BREAKER_RESET", "1500ms"));
    TestNode node = TestNode.api(vertx, dbs, env);
    port = node.port();
    client = node.client();
  }

  @AfterEach
  void stopCapturing() {
    logs.close();
  }

  private HttpResponse<Buffer> chat(UUID user, String message) throws Exception {
    return client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).putHeader("Accept", "text/event-stream")
        .sendJsonObject(new JsonObject().put("message", message)).await(30, TimeUnit.SECONDS);
  }

  private static String text(List<Sse.Event> events) {
    return events.stream().filter(e -> e.name().equals("token")).map(e -> e.data().getString("text")).reduce("", String::concat);
  }

  private static JsonObject ledgerRow(String requestId) {
    String row = Sql.one(dbs.chat(), "select json_build_object('delta', delta, 'provider', provider, 'units', units)::text from credits_ledger where request_id = '" + requestId + "'");
    return new JsonObject(row);
  }

  /** ceil(in/1000·in_rate + out/1000·out_rate) + min */
  private static long credits(long in, long out, long inRate, long outRate, long min) {
    return (in * inRate + out * outRate + 999) / 1000 + min;
  }

  @Test
  void aChatRoutedToGrokStreamsAndIsChargedForTheUsageGrokReported() throws Exception {
    grok.then(FakeProvider.sse("xai/stream.sse"));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    HttpResponse<Buffer> r = chat(user, "What's the signal for BTC?");
    assertThat(r.statusCode()).isEqualTo(200);
    List<Sse.Event> events = Sse.parse(r.bodyAsString());
    assertThat(text(events)).isEqualTo("BTC on 4h is a LONG with score 0.72, not financial advice.");
    Sse.Event done = events.getLast();
    assertThat(done.name()).isEqualTo("done");
    assertThat(done.data().getString("provider")).isEqualTo("grok");
    // Grok's last running total: 120 in, 338 − 120 = 218 out (reasoning included); Grok's price 1/4/1
    long charged = credits(120, 218, 1, 4, 1);
    assertThat(done.data().getJsonObject("usage")).isEqualTo(new JsonObject().put("input_tokens", 120).put("output_tokens", 218).put("estimated", false));
    assertThat(done.data().getLong("credits_charged")).isEqualTo(charged);

    JsonObject row = ledgerRow(done.data().getString("request_id"));
    assertThat(row.getLong("delta")).isEqualTo(-charged);
    assertThat(row.getString("provider")).isEqualTo("grok");
    assertThat(row.getJsonObject("units").getBoolean("estimated")).isFalse();
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000 - charged);
    assertThat(Sql.count(dbs.chat(), "select count(*) from credit_holds where user_id = '" + user + "'")).isZero();
    assertThat(gpt.requests).isEmpty();
    assertThat(grok.requests.get(0).headers().get("authorization")).isEqualTo("Bearer xai-test-key");
  }

  @Test
  void grokFailingBeforeOutputFallsBackToGptAndTheChargeIsGpts() throws Exception {
    grok.then(FakeProvider.error(500, "xai/server_error.json", Map.of()));
    gpt.then(FakeProvider.sse("openai/stream.sse"));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    HttpResponse<Buffer> r = chat(user, "What's the signal for ETH?");
    assertThat(r.statusCode()).isEqualTo(200);
    List<Sse.Event> events = Sse.parse(r.bodyAsString());
    assertThat(text(events)).isEqualTo("ETH looks neutral; wait for a close above 3,400 — not advice.");
    Sse.Event done = events.getLast();
    assertThat(done.name()).isEqualTo("done");
    assertThat(done.data().getString("provider")).isEqualTo("gpt");
    long charged = credits(131, 17, 3, 10, 2); // GPT's final usage chunk at GPT's price 3/10/2
    assertThat(done.data().getLong("credits_charged")).isEqualTo(charged);
    JsonObject row = ledgerRow(done.data().getString("request_id"));
    assertThat(row.getLong("delta")).isEqualTo(-charged);
    assertThat(row.getString("provider")).isEqualTo("gpt");
    assertThat(grok.requests).hasSize(1);
    assertThat(gpt.requests).hasSize(1);
    assertThat(claude.requests).isEmpty();
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000 - charged);
  }

  @Test
  void aMessageAboutToolsGoesToGptFirst() throws Exception {
    gpt.then(FakeProvider.sse("openai/stream.sse"));
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    Sse.Event done = Sse.parse(chat(user, "Which tools back this signal?").bodyAsString()).getLast();
    assertThat(done.data().getString("provider")).isEqualTo("gpt");
    assertThat(grok.requests).isEmpty();
  }

  @Test
  void aStreamCutAfterOutputEndsWithAnErrorEventAndChargesWhatWasProduced() throws Exception {
    grok.then(FakeProvider.cut("xai/cut.sse"));
    gpt.always(FakeProvider.sse("openai/stream.sse"));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    HttpResponse<Buffer> r = chat(user, "What's the signal for BTC?");
    assertThat(r.statusCode()).isEqualTo(200);
    List<Sse.Event> events = Sse.parse(r.bodyAsString());
    assertThat(text(events)).isEqualTo("BTC on 4h is a LONG ");
    Sse.Event error = events.getLast();
    assertThat(error.name()).isEqualTo("error");
    assertThat(error.data().getString("provider")).isEqualTo("grok");
    // the last running total Grok sent before the cut: 120 in, 278 − 120 = 158 out
    long charged = credits(120, 158, 1, 4, 1);
    assertThat(error.data().getLong("credits_charged")).isEqualTo(charged);
    assertThat(gpt.requests).as("no fallback after the first token").isEmpty();
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + user + "' and delta < 0")).isEqualTo(1);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000 - charged);
  }

  @Test
  void theErrorEventOfACutStreamNamesTheFailureKindAsAField() throws Exception {
    grok.then(FakeProvider.cut("xai/cut.sse"));
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    Sse.Event error = Sse.parse(chat(user, "What's the signal for BTC?").bodyAsString()).getLast();
    assertThat(error.data().getString("error")).isEqualTo("provider_failed");
    assertThat(error.data().getString("kind")).as("a connection closed mid-answer").isEqualTo("connection_failed");
  }

  @Test
  void aCutAnswerChargedForIsKeptAndItsKeyReplaysItInsteadOfChargingAgain() throws Exception {
    grok.then(FakeProvider.cut("xai/cut.sse"));
    grok.then(FakeProvider.sse("xai/stream.sse"));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    HttpResponse<Buffer> first = client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).putHeader("Accept", "text/event-stream")
        .putHeader("Idempotency-Key", "cut-once").sendJsonObject(new JsonObject().put("message", "What's the signal for BTC?")).await(30, TimeUnit.SECONDS);
    Sse.Event error = Sse.parse(first.bodyAsString()).getLast();
    assertThat(error.name()).isEqualTo("error");
    long charged = error.data().getLong("credits_charged");
    assertThat(charged).isPositive();
    String session = error.data().getString("session_id");

    HttpResponse<Buffer> retry = client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user))
        .putHeader("Idempotency-Key", "cut-once").sendJsonObject(new JsonObject().put("message", "What's the signal for BTC?")).await(30, TimeUnit.SECONDS);

    assertThat(retry.statusCode()).isEqualTo(502);
    assertThat(retry.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.bodyAsJsonObject().getString("answer")).isEqualTo("BTC on 4h is a LONG ");
    assertThat(retry.bodyAsJsonObject().getLong("credits_charged")).isEqualTo(charged);
    assertThat(grok.requests).as("the retry did not call the provider").hasSize(1);
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + user + "' and delta < 0")).isEqualTo(1);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000 - charged);
    assertThat(Sql.column(dbs.chat(), "select role || ':' || content from chat_messages where session_id = '" + session + "' order by id"))
        .containsExactly("user:What's the signal for BTC?", "assistant:BTC on 4h is a LONG ");

    HttpResponse<Buffer> otherQuestion = client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user))
        .putHeader("Idempotency-Key", "cut-once").sendJsonObject(new JsonObject().put("message", "And ETH?")).await(30, TimeUnit.SECONDS);
    assertThat(otherQuestion.statusCode()).isEqualTo(422);
    assertThat(otherQuestion.bodyAsJsonObject().getString("error")).isEqualTo("unprocessable");
    assertThat(otherQuestion.bodyAsJsonObject().getString("message")).contains("different request");
    assertThat(grok.requests).hasSize(1);
  }

  @Test
  void theBreakerOpensAfterRepeatedFailuresAndGrokIsThenSkipped() throws Exception {
    grok.always(FakeProvider.error(503, "xai/server_error.json", Map.of()));
    gpt.always(FakeProvider.sse("openai/stream.sse"));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    for (int i = 0; i < 4; i++) {
      Sse.Event done = Sse.parse(chat(user, "What's the signal for BTC?").bodyAsString()).getLast();
      assertThat(done.data().getString("provider")).isEqualTo("gpt");
    }
    assertThat(grok.requests).as("two failures open Grok's breaker; later chats skip it").hasSize(2);
    assertThat(gpt.requests).hasSize(4);

    // after the reset time one probe goes to Grok (half-open); it answers, the breaker closes
    grok.always(FakeProvider.sse("xai/stream.sse"));
    logs.await(Duration.ofSeconds(10), 1, "half-open", "grok");
    for (int i = 0; i < 2; i++) {
      Sse.Event done = Sse.parse(chat(user, "What's the signal for BTC?").bodyAsString()).getLast();
      assertThat(done.data().getString("provider")).isEqualTo("grok");
    }
    assertThat(grok.requests).hasSize(4);
    assertThat(gpt.requests).hasSize(4);
  }

  @Test
  void withEveryBreakerOpenTheChatIs503AtOnceWithoutCallingAnyProvider() throws Exception {
    grok.always(FakeProvider.error(500, "xai/server_error.json", Map.of()));
    gpt.always(FakeProvider.error(500, "openai/server_error.json", Map.of()));
    claude.always(FakeProvider.error(500, "anthropic/overloaded.json", Map.of()));
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    assertThat(chat(user, "hi").statusCode()).isEqualTo(503);
    assertThat(chat(user, "hi").statusCode()).isEqualTo(503); // second failure each: all three open

    HttpResponse<Buffer> r = chat(user, "hi");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.getHeader("Retry-After")).isEqualTo("2"); // PROVIDER_BREAKER_RESET 1500ms, rounded up
    assertThat(r.bodyAsJsonObject().getString("message")).contains("circuit open");
    assertThat(List.of(grok.requests.size(), gpt.requests.size(), claude.requests.size())).containsExactly(2, 2, 2);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000);
  }

  @Test
  void theEstimateIsPricedAtThePriciestProviderTheChatMayFallBackTo() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    JsonObject e = client.post(port, "127.0.0.1", "/chat/estimate").putHeader("Authorization", "Bearer " + TestJwt.valid(user))
        .sendJsonObject(new JsonObject().put("message", "hi")).await(10, TimeUnit.SECONDS).bodyAsJsonObject();
    // Grok answers first (1/4/1) but GPT and Claude (3/10/2) may have to take over
    assertThat(e.getString("provider")).isEqualTo("gpt");
    assertThat(e.getLong("max_credits")).isEqualTo(credits(e.getLong("input_tokens"), e.getInteger("max_tokens"), 3, 10, 2));
  }

  @Test
  void aClientLeavingBeforeTheFirstTokenCancelsTheUpstreamCallAndIsNotCharged() throws Exception {
    grok.always(FakeProvider.silent());
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    var request = client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).putHeader("Accept", "text/event-stream").timeout(300);
    assertThat(request.sendJsonObject(new JsonObject().put("message", "hi")).transform(io.vertx.core.Future::succeededFuture).await(5, TimeUnit.SECONDS).failed()).isTrue();
    // well before Grok's 2 s first-byte timeout: the hold is gone, nothing charged, no fallback
    Eventually.await(java.time.Duration.ofMillis(1200), "the hold is released", () -> Sql.count(dbs.chat(), "select count(*) from credit_holds where user_id = '" + user + "'") == 0);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000);
    assertThat(grok.requests).hasSize(1);
    assertThat(gpt.requests).isEmpty();
  }

  @Test
  void requestsTheProviderRefusesAsBadDoNotOpenItsBreaker() throws Exception {
    grok.always(FakeProvider.error(400, "xai/bad_request.json", Map.of()));
    gpt.always(FakeProvider.sse("openai/stream.sse"));
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    for (int i = 0; i < 3; i++) {
      assertThat(Sse.parse(chat(user, "hi").bodyAsString()).getLast().data().getString("provider")).isEqualTo("gpt");
    }
    assertThat(grok.requests).hasSize(3);
  }

  @Test
  void aFailedHalfOpenProbeOpensTheBreakerAgain() throws Exception {
    grok.always(FakeProvider.error(500, "xai/server_error.json", Map.of()));
    gpt.always(FakeProvider.sse("openai/stream.sse"));
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    chat(user, "hi");
    chat(user, "hi");
    assertThat(grok.requests).hasSize(2);
    logs.await(Duration.ofSeconds(10), 1, "half-open", "grok");
    chat(user, "hi"); // the probe, failing
    chat(user, "hi"); // open again: skipped
    assertThat(grok.requests).hasSize(3);
    assertThat(gpt.requests).hasSize(4);
  }

  @Test
  void aGptStreamCutBeforeItsUsageChunkIsChargedOnCountedTokensMarkedEstimated() throws Exception {
    gpt.then(FakeProvider.cut("openai/cut.sse"));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    List<Sse.Event> events = Sse.parse(chat(user, "analyze deeply: ETH").bodyAsString());
    Sse.Event error = events.getLast();
    assertThat(error.name()).isEqualTo("error");
    assertThat(error.data().getString("provider")).isEqualTo("gpt");
    JsonObject usage = error.data().getJsonObject("usage");
    assertThat(usage.getBoolean("estimated")).isTrue();
    assertThat(usage.getLong("output_tokens")).isEqualTo(new TokenCounter().count("ETH looks neutral; "));
    long charged = credits(usage.getLong("input_tokens"), usage.getLong("output_tokens"), 3, 10, 2);
    assertThat(error.data().getLong("credits_charged")).isEqualTo(charged);
    assertThat(grok.requests).isEmpty();
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + user + "' and delta = " + (-charged) + " and provider = 'gpt' and (units->>'estimated')::boolean")).isEqualTo(1);
  }

  @Test
  void everyProviderFailingBeforeOutputIs503WithRetryAfterAndNoCharge() throws Exception {
    grok.then(FakeProvider.error(500, "xai/server_error.json", Map.of()));
    gpt.then(FakeProvider.error(429, "openai/rate_limited.json", Map.of("retry-after", "7")));
    claude.then(FakeProvider.error(529, "anthropic/overloaded.json", Map.of()));
    UUID user = Users.create(dbs.chat(), "pro", 1000);

    HttpResponse<Buffer> r = chat(user, "What's the signal for BTC?");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.getHeader("Retry-After")).isEqualTo("7");
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("unavailable");
    assertThat(r.bodyAsJsonObject().getString("message")).contains("grok").contains("gpt").contains("claude").contains("nothing was charged");
    assertThat(List.of(grok.requests.size(), gpt.requests.size(), claude.requests.size())).containsExactly(1, 1, 1);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000);
    assertThat(Sql.count(dbs.chat(), "select count(*) from credit_holds where user_id = '" + user + "'")).isZero();
  }
}
