package ai.zmarty.router.providers;

import static ai.zmarty.router.providers.Harness.call;
import static ai.zmarty.router.providers.Harness.failure;
import static ai.zmarty.router.providers.Harness.partial;
import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.router.ModelProvider;
import ai.zmarty.router.TokenCounter;
import ai.zmarty.router.providers.ProviderFailure.Kind;
import ai.zmarty.testing.FakeProvider;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Anthropic Messages adapter against a fake replaying its named SSE events and errors. */
@ExtendWith(VertxExtension.class)
class AnthropicProviderTest {
  private static final TokenCounter tokens = new TokenCounter();
  private FakeProvider fake;
  private AnthropicProvider claude;

  @BeforeEach
  void start(Vertx vertx) {
    fake = FakeProvider.start(vertx);
    var config = Harness.config("claude", fake.baseUrl(""));
    claude = new AnthropicProvider(vertx, config.grok(), config, tokens);
  }

  @Test
  void inputFromMessageStartAndOutputAssignedFromMessageDelta() throws Exception {
    fake.then(FakeProvider.sse("anthropic/stream.sse"));
    Harness.Sink sink = new Harness.Sink();
    ModelProvider.Usage usage = claude.stream(call(), sink).await(10, TimeUnit.SECONDS);

    assertThat(sink.text()).isEqualTo("BTC's latest 4h signal is LONG at 0.72, with a 58% win rate.");
    // message_start said output_tokens 1; message_delta's 21 is the total, not 1 + 21
    assertThat(usage).isEqualTo(new ModelProvider.Usage(152, 21, false));

    FakeProvider.Recorded req = fake.requests.get(0);
    assertThat(req.path()).isEqualTo("/v1/messages");
    assertThat(req.headers().get("x-api-key")).isEqualTo(Harness.KEY);
    assertThat(req.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    JsonObject body = req.body();
    assertThat(body.getString("model")).isEqualTo("claude-sonnet-4-5");
    assertThat(body.getInteger("max_tokens")).isEqualTo(1024);
    assertThat(body.getString("system")).isEqualTo("You are Zmarty.");
    assertThat(body.getBoolean("stream")).isTrue();
    assertThat(body.getJsonArray("messages")).hasSize(1);
  }

  @Test
  void earlierTurnsAreMessagesBeforeTheQuestionAndTheSystemStaysApart() throws Exception {
    fake.then(FakeProvider.sse("anthropic/stream.sse"));
    claude.stream(Harness.callWithHistory(), new Harness.Sink()).await(10, TimeUnit.SECONDS);
    JsonObject body = fake.requests.get(0).body();
    assertThat(body.getString("system")).isEqualTo("You are Zmarty.");
    assertThat(body.getJsonArray("messages")).containsExactly(
        new JsonObject().put("role", "user").put("content", "BTC?"),
        new JsonObject().put("role", "assistant").put("content", "Long."),
        new JsonObject().put("role", "user").put("content", "And ETH?"));
  }

  @Test
  void overloadedErrorAfterOutputIsAPartialFailureWithTheInputReported() throws Exception {
    fake.then(FakeProvider.sse("anthropic/overloaded_midstream.sse"));
    Harness.Sink sink = new Harness.Sink();
    ModelProvider.PartialFailure pf = partial(claude.stream(call(), sink));
    assertThat(sink.text()).isEqualTo("BTC's latest 4h signal ");
    assertThat(((ProviderFailure) pf.getCause()).kind()).isEqualTo(Kind.OVERLOADED);
    assertThat(pf.usage()).isEqualTo(new ModelProvider.Usage(152, tokens.count("BTC's latest 4h signal "), true));
  }

  @Test
  void overloadedErrorBeforeAnyTextIsAPlainRetryableFailure() throws Exception {
    fake.then(FakeProvider.sse("anthropic/overloaded_first.sse"));
    ProviderFailure f = failure(claude.stream(call(), new Harness.Sink()));
    assertThat(f.kind()).isEqualTo(Kind.OVERLOADED);
    assertThat(f.kind().retryable()).isTrue();
  }

  @Test
  void aCutStreamIsAPartialFailure() throws Exception {
    fake.then(FakeProvider.cut("anthropic/cut.sse"));
    ModelProvider.PartialFailure pf = partial(claude.stream(call(), new Harness.Sink()));
    assertThat(((ProviderFailure) pf.getCause()).kind()).isEqualTo(Kind.CONNECTION_FAILED);
    assertThat(pf.usage().inputTokens()).isEqualTo(152);
    assertThat(pf.usage().estimated()).isTrue();
  }

  @Test
  void rateLimitErrorCarriesRetryAfter() throws Exception {
    fake.then(FakeProvider.error(429, "anthropic/rate_limited.json", Map.of("retry-after", "12")));
    ProviderFailure f = failure(claude.stream(call(), new Harness.Sink()));
    assertThat(f.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(f.retryAfter()).contains(Duration.ofSeconds(12));
  }

  @Test
  void spendLimitIsAQuotaFailureNotRetried() throws Exception {
    fake.then(FakeProvider.error(429, "anthropic/spend_limit.json", Map.of("retry-after", "60")));
    ProviderFailure f = failure(claude.stream(call(), new Harness.Sink()));
    assertThat(f.kind()).isEqualTo(Kind.QUOTA_EXHAUSTED);
    assertThat(f.retryAfter()).isEmpty();
  }

  @Test
  void status529IsOverloaded() throws Exception {
    fake.then(FakeProvider.error(529, "anthropic/overloaded.json", Map.of()));
    assertThat(failure(claude.stream(call(), new Harness.Sink())).kind()).isEqualTo(Kind.OVERLOADED);
  }
}
