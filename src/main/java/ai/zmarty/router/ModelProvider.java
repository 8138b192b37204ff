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
  record Call(String requestId, Prompt prompt, ChatContext context, int maxTokens, long inputTokens, Future<Void> cancelled) {
    public Call(String requestId, Prompt prompt, ChatContext context, int maxTokens, long inputTokens) {
      this(requestId, prompt, context, maxTokens, inputTokens, io.vertx.core.Promise.<Void>promise().future());
    }
  }

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
