package ai.zmarty.router;

import io.vertx.core.json.JsonObject;

/**
 * The last message of an answer's stream (the text before it travels as plain Strings): {@link
 * Done} or {@link Failed}. On the bus each is its {@code toJson}, with {@code type} done or error.
 */
public sealed interface StreamEvent {
  /**
   * On the last event of an answer whose turn the HTTP layer asked to be kept with the settlement
   * ({@code turn} of {@code model.chat}): whether it was (it is when anything was charged).
   */
  String TURN_STORED = "turn_stored";

  /** With {@link #TURN_STORED}: the turn's stream slot was ended with the settlement. */
  String SLOT_ENDED = "slot_ended";

  JsonObject toJson();

  /** Tokens as billed: what the provider reported, or counted here ({@code estimated}). */
  record Usage(long inputTokens, long outputTokens, boolean estimated) {
    JsonObject toJson() {
      return new JsonObject().put("input_tokens", inputTokens).put("output_tokens", outputTokens).put("estimated", estimated);
    }

    static Usage of(ModelProvider.Usage u) {
      return new Usage(u.inputTokens(), u.outputTokens(), u.estimated());
    }
  }

  /** The answer is complete (or the client left and what was produced is charged). */
  record Done(String requestId, String provider, Usage usage, long creditsCharged, long balance, boolean cancelled, long reserved, int maxTokens) implements StreamEvent {
    @Override
    public JsonObject toJson() {
      return new JsonObject().put("type", "done").put("request_id", requestId).put("provider", provider).put("usage", usage.toJson()).put("credits_charged", creditsCharged)
          .put("balance", balance).put("cancelled", cancelled).put("reserved", reserved).put("max_tokens", maxTokens);
    }
  }

  /**
   * The answer broke after it started: {@code error} is the code ({@code provider_failed}, …),
   * {@code kind} the provider failure's kind ({@code idle_timeout}, {@code overloaded}, …; null when
   * unknown); {@code usage} and {@code balance} are null when nothing was billed.
   */
  record Failed(String error, String kind, String provider, String message, Usage usage, long creditsCharged, Long balance) implements StreamEvent {
    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("type", "error").put("error", error);
      if (kind != null) {
        json.put("kind", kind);
      }
      if (provider != null) {
        json.put("provider", provider);
      }
      json.put("message", message);
      if (usage != null) {
        json.put("usage", usage.toJson());
      }
      json.put("credits_charged", creditsCharged);
      if (balance != null) {
        json.put("balance", balance);
      }
      return json;
    }
  }
}
