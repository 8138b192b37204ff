package ai.zmarty.router.providers;

import ai.zmarty.config.ZmartyConfig.ProviderConfig;
import ai.zmarty.config.ZmartyConfig.ProvidersConfig;
import ai.zmarty.router.TokenCounter;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Google Gemini ({@code POST {base}/v1beta/models/{model}:streamGenerateContent?alt=sse}):
 * {@code data:} events only and no end marker, so the answer is complete once a candidate carries a
 * {@code finishReason}. The last {@code usageMetadata} wins; thinking tokens are billed as output.
 */
public final class GeminiProvider extends SseProvider {

  public GeminiProvider(Vertx vertx, ProviderConfig config, ProvidersConfig timeouts, TokenCounter tokens) {
    super(vertx, config, timeouts, tokens);
  }

  @Override
  protected String url(Call call) {
    return config.baseUrl() + "/v1beta/models/" + URLEncoder.encode(config.model(), StandardCharsets.UTF_8) + ":streamGenerateContent?alt=sse";
  }

  @Override
  protected void headers(MultiMap headers) {
    headers.set("x-goog-api-key", config.apiKey().orElse(""));
  }

  @Override
  protected JsonObject body(Call call) {
    return new JsonObject()
        .put("systemInstruction", new JsonObject().put("parts", new JsonArray().add(new JsonObject().put("text", call.prompt().system()))))
        .put("contents", contents(call))
        .put("generationConfig", generationConfig(call));
  }

  /** With a structured answer: JSON only, in the shape of its schema (the text part is that JSON). */
  private static JsonObject generationConfig(Call call) {
    JsonObject config = new JsonObject().put("maxOutputTokens", call.maxTokens());
    if (call.output() != null) {
      config.put("responseMimeType", "application/json").put("responseSchema", OutputSchemas.gemini(call.output()));
    }
    return config;
  }

  /** Earlier turns (Gemini calls the assistant "model"), then the question. */
  private static JsonArray contents(Call call) {
    JsonArray contents = new JsonArray();
    call.prompt().history().forEach(t -> contents.add(content(t.role().equals("assistant") ? "model" : "user", t.content())));
    return contents.add(content("user", call.prompt().user()));
  }

  private static JsonObject content(String role, String text) {
    return new JsonObject().put("role", role).put("parts", new JsonArray().add(new JsonObject().put("text", text)));
  }

  @Override
  protected Decoder decoder() {
    return new Decoder() {
      private boolean finished;

      @Override
      public void onEvent(String event, String data, Consumer<String> text, Reported usage) {
        JsonObject chunk = new JsonObject(data);
        if (chunk.getValue("error") instanceof JsonObject e) {
          throw ProviderFailure.fromStreamError(name(), e);
        }
        JsonObject u = chunk.getJsonObject("usageMetadata");
        if (u != null) {
          if (u.getLong("promptTokenCount") != null) {
            usage.input = u.getLong("promptTokenCount");
          }
          usage.output = u.getLong("candidatesTokenCount", 0L) + u.getLong("thoughtsTokenCount", 0L);
        }
        JsonObject feedback = chunk.getJsonObject("promptFeedback");
        if (feedback != null && feedback.getString("blockReason") != null) {
          throw new ProviderFailure(name(), ProviderFailure.Kind.BAD_REQUEST, "prompt blocked: " + feedback.getString("blockReason"));
        }
        JsonArray candidates = chunk.getJsonArray("candidates");
        if (candidates != null && !candidates.isEmpty()) {
          JsonObject candidate = candidates.getJsonObject(0);
          JsonObject content = candidate.getJsonObject("content");
          JsonArray parts = content == null ? null : content.getJsonArray("parts");
          if (parts != null) {
            for (Object p : parts) {
              if (p instanceof JsonObject part && !part.getBoolean("thought", false) && part.getString("text") != null) {
                text.accept(part.getString("text"));
              }
            }
          }
          if (candidate.getString("finishReason") != null) {
            finished = true;
          }
        }
      }

      @Override
      public boolean complete() {
        return finished;
      }
    };
  }
}
