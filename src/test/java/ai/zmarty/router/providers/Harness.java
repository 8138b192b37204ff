package ai.zmarty.router.providers;

import ai.zmarty.config.ZmartyConfig.ProviderConfig;
import ai.zmarty.config.ZmartyConfig.ProvidersConfig;
import ai.zmarty.router.ChatContext;
import ai.zmarty.router.ModelProvider;
import ai.zmarty.router.Prompt;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Shared set-up of the adapter tests: short timeouts, a call, a sink that keeps the text. */
final class Harness {
  static final String KEY = "test-key-not-secret";

  private Harness() {}

  static ProvidersConfig config(String name, String baseUrl) {
    ProviderConfig p = new ProviderConfig(name, Optional.of(KEY), baseUrl, name.equals("claude") ? "claude-sonnet-4-5" : name.equals("gemini") ? "gemini-2.5-flash" : name.equals("grok") ? "grok-4" : "gpt-4o-mini");
    ProviderConfig none = new ProviderConfig("none", Optional.empty(), "http://127.0.0.1:1", "x");
    return new ProvidersConfig(p, none, none, none, Duration.ofSeconds(2), Duration.ofMillis(1000), Duration.ofMillis(500), 3, Duration.ofSeconds(1));
  }

  static ModelProvider.Call call() {
    return new ModelProvider.Call("req-1", new Prompt("You are Zmarty.", "What's the signal for BTC?"), new ChatContext(List.of(), List.of(), List.of()), 1024, 42);
  }

  /** A second turn: the session's first question and answer go along as turns of their own. */
  static ModelProvider.Call callWithHistory() {
    Prompt prompt = new Prompt("You are Zmarty.", List.of(new ai.zmarty.router.PromptBuilder.Turn("user", "BTC?"), new ai.zmarty.router.PromptBuilder.Turn("assistant", "Long.")), "And ETH?");
    return new ModelProvider.Call("req-2", prompt, new ChatContext(List.of(), List.of(), List.of()), 1024, 42);
  }

  /** Collects the streamed text; answers false (the client went away) after {@code limit} pieces. */
  static final class Sink implements ModelProvider.TokenSink {
    final StringBuilder text = new StringBuilder();
    final int limit;
    int pieces;

    Sink(int limit) {
      this.limit = limit;
    }

    Sink() {
      this(Integer.MAX_VALUE);
    }

    @Override
    public synchronized boolean accept(String piece) {
      text.append(piece);
      return ++pieces < limit;
    }

    synchronized String text() {
      return text.toString();
    }
  }

  static <T> AsyncResult<T> outcome(Future<T> f) throws Exception {
    return f.transform(Future::succeededFuture).await(10, TimeUnit.SECONDS);
  }

  static ProviderFailure failure(Future<?> f) throws Exception {
    AsyncResult<?> ar = outcome(f);
    if (ar.succeeded()) {
      throw new AssertionError("expected a failure, got " + ar.result());
    }
    if (ar.cause() instanceof ProviderFailure pf) {
      return pf;
    }
    throw new AssertionError("expected a ProviderFailure", ar.cause());
  }

  static ModelProvider.PartialFailure partial(Future<?> f) throws Exception {
    AsyncResult<?> ar = outcome(f);
    if (ar.succeeded()) {
      throw new AssertionError("expected a failure, got " + ar.result());
    }
    if (ar.cause() instanceof ModelProvider.PartialFailure pf) {
      return pf;
    }
    throw new AssertionError("expected a PartialFailure", ar.cause());
  }
}
