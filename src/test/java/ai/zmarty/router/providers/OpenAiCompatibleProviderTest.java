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

/** The OpenAI-compatible adapter (xAI Grok, OpenAI GPT) against a fake replaying their streams. */
@ExtendWith(VertxExtension.class)
class OpenAiCompatibleProviderTest {
  private static final TokenCounter tokens = new TokenCounter();
  private FakeProvider fake;
  private OpenAiCompatibleProvider grok;
  private OpenAiCompatibleProvider gpt;

  @BeforeEach
  void start(Vertx vertx) {
    fake = FakeProvider.start(vertx);
    grok = new OpenAiCompatibleProvider(vertx, Harness.config("grok", fake.baseUrl("/v1")).grok(), Harness.config("grok", fake.baseUrl("/v1")), tokens);
    gpt = new OpenAiCompatibleProvider(vertx, Harness.config("gpt", fake.baseUrl("/v1")).grok(), Harness.config("gpt", fake.baseUrl("/v1")), tokens);
  }

  @Test
  void grokRunningTotalsBillReasoningAsOutput() throws Exception {
    fake.then(FakeProvider.sse("xai/stream.sse"));
    Harness.Sink sink = new Harness.Sink();
    ModelProvider.Usage usage = grok.stream(call(), sink).await(10, TimeUnit.SECONDS);

    assertThat(sink.text()).isEqualTo("BTC on 4h is a LONG with score 0.72, not financial advice.");
    // last running total wins; completion_tokens (18) leaves out 200 reasoning tokens: 338 − 120
    assertThat(usage).isEqualTo(new ModelProvider.Usage(120, 218, false));

    FakeProvider.Recorded req = fake.requests.get(0);
    assertThat(req.path()).isEqualTo("/v1/chat/completions");
    assertThat(req.headers().get("authorization")).isEqualTo("Bearer " + Harness.KEY);
    JsonObject body = req.body();
    assertThat(body.getString("model")).isEqualTo("grok-4");
    assertThat(body.getBoolean("stream")).isTrue();
    assertThat(body.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    assertThat(body.getInteger("max_completion_tokens")).isEqualTo(1024);
    assertThat(body.getJsonArray("messages").getJsonObject(0).getString("role")).isEqualTo("system");
    assertThat(body.getJsonArray("messages").getJsonObject(1).getString("content")).isEqualTo("What's the signal for BTC?");
  }

  @Test
  void earlierTurnsGoBetweenTheSystemMessageAndTheQuestion() throws Exception {
    fake.then(FakeProvider.sse("xai/stream.sse"));
    grok.stream(Harness.callWithHistory(), new Harness.Sink()).await(10, TimeUnit.SECONDS);
    JsonArray messages = fake.requests.get(0).body().getJsonArray("messages");
    assertThat(messages).containsExactly(
        new JsonObject().put("role", "system").put("content", "You are Zmarty."),
        new JsonObject().put("role", "user").put("content", "BTC?"),
        new JsonObject().put("role", "assistant").put("content", "Long."),
        new JsonObject().put("role", "user").put("content", "And ETH?"));
  }

  @Test
  void grokStreamCutAfterOutputIsAPartialFailureWithTheLastRunningTotal() throws Exception {
    fake.then(FakeProvider.cut("xai/cut.sse"));
    Harness.Sink sink = new Harness.Sink();
    ModelProvider.PartialFailure pf = partial(grok.stream(call(), sink));
    assertThat(sink.text()).isEqualTo("BTC on 4h is a LONG ");
    assertThat(pf.usage()).isEqualTo(new ModelProvider.Usage(120, 158, false));
    assertThat(((ProviderFailure) pf.getCause()).kind()).isEqualTo(Kind.CONNECTION_FAILED);
  }

  @Test
  void grokOutOfCreditsIsAQuotaFailureNotRetried() throws Exception {
    fake.then(FakeProvider.error(429, "xai/credits_exhausted.json", Map.of()));
    ProviderFailure f = failure(grok.stream(call(), new Harness.Sink()));
    assertThat(f.kind()).isEqualTo(Kind.QUOTA_EXHAUSTED);
    assertThat(f.kind().retryable()).isFalse();
    assertThat(f.getMessage()).startsWith("grok: quota_exhausted: 429").doesNotContain(Harness.KEY);
  }

  @Test
  void gptFinalUsageChunkIsTheUsage() throws Exception {
    fake.then(FakeProvider.sse("openai/stream.sse"));
    Harness.Sink sink = new Harness.Sink();
    ModelProvider.Usage usage = gpt.stream(call(), sink).await(10, TimeUnit.SECONDS);
    assertThat(sink.text()).isEqualTo("ETH looks neutral; wait for a close above 3,400 — not advice.");
    assertThat(usage).isEqualTo(new ModelProvider.Usage(131, 17, false));
  }

  @Test
  void gptStreamCutBeforeTheUsageChunkIsCountedAndMarkedEstimated() throws Exception {
    fake.then(FakeProvider.cut("openai/cut.sse"));
    Harness.Sink sink = new Harness.Sink();
    ModelProvider.PartialFailure pf = partial(gpt.stream(call(), sink));
    assertThat(sink.text()).isEqualTo("ETH looks neutral; ");
    assertThat(pf.usage()).isEqualTo(new ModelProvider.Usage(42, tokens.count("ETH looks neutral; "), true));
  }

  @Test
  void aMalformedEventIsSkippedAndTheStreamGoesOn() throws Exception {
    fake.then(FakeProvider.sse("openai/malformed.sse"));
    Harness.Sink sink = new Harness.Sink();
    ModelProvider.Usage usage = gpt.stream(call(), sink).await(10, TimeUnit.SECONDS);
    assertThat(sink.text()).isEqualTo("SOL ranging.");
    assertThat(usage).isEqualTo(new ModelProvider.Usage(90, 6, false));
  }

  @Test
  void rateLimitedCarriesRetryAfterAndIsRetryable() throws Exception {
    fake.then(FakeProvider.error(429, "openai/rate_limited.json", Map.of("retry-after", "7", "x-ratelimit-remaining-requests", "0")));
    ProviderFailure f = failure(gpt.stream(call(), new Harness.Sink()));
    assertThat(f.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(f.kind().retryable()).isTrue();
    assertThat(f.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void insufficientQuotaIsNotRetryable() throws Exception {
    fake.then(FakeProvider.error(429, "openai/insufficient_quota.json", Map.of()));
    ProviderFailure f = failure(gpt.stream(call(), new Harness.Sink()));
    assertThat(f.kind()).isEqualTo(Kind.QUOTA_EXHAUSTED);
    assertThat(f.retryAfter()).isEmpty();
  }

  @Test
  void serverErrorsAndBadKeysAreMapped() throws Exception {
    fake.then(FakeProvider.error(500, "openai/server_error.json", Map.of())).then(FakeProvider.error(503, "xai/server_error.json", Map.of())).then(FakeProvider.error(401, "openai/invalid_key.json", Map.of()));
    assertThat(failure(gpt.stream(call(), new Harness.Sink())).kind()).isEqualTo(Kind.SERVER_ERROR);
    assertThat(failure(grok.stream(call(), new Harness.Sink())).kind()).isEqualTo(Kind.OVERLOADED);
    ProviderFailure auth = failure(gpt.stream(call(), new Harness.Sink()));
    assertThat(auth.kind()).isEqualTo(Kind.AUTH);
    assertThat(auth.kind().retryable()).isFalse();
  }

  @Test
  void aSilentServerTimesOutWaitingForTheFirstByte() throws Exception {
    fake.then(FakeProvider.silent());
    assertThat(failure(gpt.stream(call(), new Harness.Sink())).kind()).isEqualTo(Kind.FIRST_BYTE_TIMEOUT);
  }

  @Test
  void aStallAfterOutputIsAnIdleTimeoutChargedForWhatWasProduced() throws Exception {
    fake.then(FakeProvider.stall("openai/cut.sse"));
    ModelProvider.PartialFailure pf = partial(gpt.stream(call(), new Harness.Sink()));
    assertThat(((ProviderFailure) pf.getCause()).kind()).isEqualTo(Kind.IDLE_TIMEOUT);
    assertThat(pf.usage().outputTokens()).isEqualTo(tokens.count("ETH looks neutral; "));
  }

  @Test
  void aClientThatGoesAwayStopsTheStreamAndPaysForWhatItGot() throws Exception {
    fake.then(FakeProvider.sse("openai/stream.sse"));
    Harness.Sink sink = new Harness.Sink(1);
    ModelProvider.Usage usage = gpt.stream(call(), sink).await(10, TimeUnit.SECONDS);
    assertThat(sink.text()).isEqualTo("ETH looks ");
    assertThat(usage).isEqualTo(new ModelProvider.Usage(42, tokens.count("ETH looks "), true));
  }

  @Test
  void cancellingBeforeAnyOutputStopsTheUpstreamCallAtOnce() throws Exception {
    fake.then(FakeProvider.silent());
    io.vertx.core.Promise<Void> cancel = io.vertx.core.Promise.promise();
    ModelProvider.Call c = call();
    long started = System.nanoTime();
    var answer = gpt.stream(new ModelProvider.Call(c.requestId(), c.prompt(), c.context(), c.maxTokens(), c.inputTokens(), cancel.future()), new Harness.Sink());
    ai.zmarty.testing.Eventually.await(Duration.ofSeconds(2), "the request reached the fake", () -> !fake.requests.isEmpty());
    cancel.complete();
    assertThat(failure(answer).kind()).isEqualTo(Kind.CANCELLED);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(900)); // the first-byte timeout is 1 s
  }

  @Test
  void nothingListeningIsAConnectionFailure(Vertx vertx) throws Exception {
    var closed = new OpenAiCompatibleProvider(vertx, Harness.config("gpt", "http://127.0.0.1:1/v1").grok(), Harness.config("gpt", "http://127.0.0.1:1/v1"), tokens);
    assertThat(failure(closed.stream(call(), new Harness.Sink())).kind()).isEqualTo(Kind.CONNECTION_FAILED);
  }
}
