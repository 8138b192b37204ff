package ai.zmarty.router;

import io.vertx.core.Future;

/** One model service behind one small interface: streams an answer, then reports its usage. */
public interface ModelProvider {

  /** The name prices and logs use: offline, grok, gpt, claude, gemini. */
  String name();

  /**
   * Streams the answer to {@code sink} piece by piece and completes with the usage. Stops early,
   * completing with the usage so far, when the sink answers false (the client went away).
   */
  Future<Usage> stream(Call call, TokenSink sink);

  /** {@code cancelled} completes when the client goes away: the provider stops its upstream call at once. */
  /** {@code output} null: a free-text answer (chat); else the answer must be one JSON object of {@link Output#schema()}. */
  record Call(String requestId, Prompt prompt, ChatContext context, int maxTokens, long inputTokens, Future<Void> cancelled, Output output) {
    public Call(String requestId, Prompt prompt, ChatContext context, int maxTokens, long inputTokens, Future<Void> cancelled) {
      this(requestId, prompt, context, maxTokens, inputTokens, cancelled, null);
    }

    public Call(String requestId, Prompt prompt, ChatContext context, int maxTokens, long inputTokens) {
      this(requestId, prompt, context, maxTokens, inputTokens, io.vertx.core.Promise.<Void>promise().future());
    }
  }

  /**
   * A structured answer: the JSON Schema (draft 2020-12, in OpenAI strict form: every property
   * required, {@code additionalProperties: false}) the answer must match, asked the way each
   * provider offers it (OpenAI/xAI {@code response_format}, Gemini {@code responseSchema},
   * Anthropic a forced tool). The answer text streamed is then that JSON; the caller still
   * validates it, since a model may break any promise.
   */
  record Output(String name, String description, io.vertx.core.json.JsonObject schema) {}

  /** Tokens as the provider reports them; {@code estimated} when counted here instead. */
  record Usage(long inputTokens, long outputTokens, boolean estimated) {}

  interface TokenSink {
    /** Takes a piece of text; false means stop. */
    boolean accept(String text);
  }

  /** A failure after some output was produced: the charge covers {@code usage}. */
  final class PartialFailure extends RuntimeException {
    private final Usage usage;

    public PartialFailure(String message, Usage usage) {
      super(message);
      this.usage = usage;
    }

    public PartialFailure(String message, Usage usage, Throwable cause) {
      super(message, cause);
      this.usage = usage;
    }

    public Usage usage() {
      return usage;
    }
  }
}
