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
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Gemini adapter against a fake replaying streamGenerateContent?alt=sse. */
@ExtendWith(VertxExtension.class)
class GeminiProviderTest {
  private static final TokenCounter tokens = new TokenCounter();
  private FakeProvider fake;
  private GeminiProvider gemini;

  @BeforeEach
  void start(Vertx vertx) {
    fake = FakeProvider.start(vertx);
    var config = Harness.config("gemini", fake.baseUrl(""));
    gemini = new GeminiProvider(vertx, config.grok(), config, tokens);
  }

  @Test
  void lastUsageMetadataWinsAndThinkingIsBilledAsOutput() throws Exception {
    fake.then(FakeProvider.sse("gemini/stream.sse"));
    Harness.Sink sink = new Harness.Sink();
    ModelProvider.Usage usage = gemini.stream(call(), sink).await(10, TimeUnit.SECONDS);
    assertThat(sink.text()).isEqualTo("BTC on the 4h chart shows a LONG signal, score 0.72.");
    assertThat(usage).isEqualTo(new ModelProvider.Usage(140, 14 + 100, false));
    FakeProvider.Recorded req = fake.requests.get(0);
    assertThat(req.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    assertThat(req.headers().get("x-goog-api-key")).isEqualTo(Harness.KEY);
    assertThat(req.body().getJsonObject("generationConfig").getInteger("maxOutputTokens")).isEqualTo(1024);
    assertThat(req.body().getJsonObject("systemInstruction").getJsonArray("parts").getJsonObject(0).getString("text")).isEqualTo("You are Zmarty.");
  }

  @Test
  void earlierTurnsAreContentsWithTheAnswerAsModel() throws Exception {
    fake.then(FakeProvider.sse("gemini/stream.sse"));
    gemini.stream(Harness.callWithHistory(), new Harness.Sink()).await(10, TimeUnit.SECONDS);
    var contents = fake.requests.get(0).body().getJsonArray("contents");
    assertThat(contents.stream().map(c -> ((JsonObject) c).getString("role")).toList()).containsExactly("user", "model", "user");
    assertThat(contents.getJsonObject(1).getJsonArray("parts").getJsonObject(0).getString("text")).isEqualTo("Long.");
    assertThat(contents.getJsonObject(2).getJsonArray("parts").getJsonObject(0).getString("text")).isEqualTo("And ETH?");
  }

  @Test
  void aStreamClosedBeforeFinishReasonIsAPartialFailureWithTheLastUsage() throws Exception {
    fake.then(FakeProvider.sse("gemini/cut.sse"));
    ModelProvider.PartialFailure pf = partial(gemini.stream(call(), new Harness.Sink()));
    assertThat(pf.usage()).isEqualTo(new ModelProvider.Usage(140, 105, false));
  }

  @Test
  void resourceExhaustedPerMinuteIsRateLimitedWithTheRetryDelay() throws Exception {
    fake.then(FakeProvider.error(429, "gemini/resource_exhausted.json", Map.of()));
    ProviderFailure f = failure(gemini.stream(call(), new Harness.Sink()));
    assertThat(f.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(f.retryAfter()).contains(Duration.ofSeconds(17));
  }

  @Test
  void unavailableIsOverloaded() throws Exception {
    fake.then(FakeProvider.error(503, "gemini/unavailable.json", Map.of()));
    assertThat(failure(gemini.stream(call(), new Harness.Sink())).kind()).isEqualTo(Kind.OVERLOADED);
  }
}
