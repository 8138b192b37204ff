package ai.zmarty.router.providers;

import ai.zmarty.config.ZmartyConfig.ProviderConfig;
import ai.zmarty.config.ZmartyConfig.ProvidersConfig;
import ai.zmarty.router.TokenCounter;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * OpenAI Chat Completions streaming ({@code POST {base}/chat/completions}), the wire format of
 * OpenAI GPT, xAI Grok and any OpenAI-compatible server. Usage: OpenAI sends one final chunk with
 * {@code choices: []}; xAI repeats running totals on every chunk whose {@code completion_tokens}
 * leave reasoning out. Taking the last usage seen and billing {@code total_tokens − prompt_tokens}
 * as output is right for both.
 */
public final class OpenAiCompatibleProvider extends SseProvider {

  public OpenAiCompatibleProvider(Vertx vertx, ProviderConfig config, ProvidersConfig timeouts, TokenCounter tokens) {
    super(vertx, config, timeouts, tokens);
  }

  @Override
  protected String url(Call call) {
    return config.baseUrl() + "/chat/completions";
  }

  @Override
  protected void headers(MultiMap headers) {
    headers.set("authorization", "Bearer " + config.apiKey().orElse(""));
  }

  @Override
  protected JsonObject body(Call call) {
    JsonObject body = new JsonObject()
        .put("model", config.model())
        .put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true))
        .put("max_completion_tokens", call.maxTokens())
        .put("messages", messages(call));
    if (call.output() != null) {
      // structured outputs: the JSON arrives as the content text, in the same stream
      body.put("response_format", OutputSchemas.openAiResponseFormat(call.output()));
    }
    return body;
  }

  private static JsonArray messages(Call call) {
    JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system").put("content", call.prompt().system()));
    call.prompt().history().forEach(t -> messages.add(new JsonObject().put("role", t.role()).put("content", t.content())));
    return messages.add(new JsonObject().put("role", "user").put("content", call.prompt().user()));
  }

  @Override
  protected Decoder decoder() {
    return new Decoder() {
      private boolean done;
      private boolean finishReason;

      @Override
      public void onEvent(String event, String data, Consumer<String> text, Reported usage) {
        if (data.trim().equals("[DONE]")) {
          done = true;
          return;
        }
        JsonObject chunk = new JsonObject(data);
        Object error = chunk.getValue("error");
        if (error instanceof JsonObject e) {
          throw ProviderFailure.fromStreamError(name(), e);
        } else if (error instanceof String e) {
          throw ProviderFailure.fromStreamError(name(), new JsonObject().put("type", chunk.getValue("code", "error")).put("message", e));
        }
        JsonObject u = chunk.getJsonObject("usage");
        if (u != null) {
          Long prompt = u.getLong("prompt_tokens");
          Long total = u.getLong("total_tokens");
          Long completion = u.getLong("completion_tokens");
          if (prompt != null) {
            usage.input = prompt;
          }
          if (total != null && prompt != null) {
            usage.output = Math.max(total - prompt, completion == null ? 0 : completion);
          } else if (completion != null) {
            usage.output = completion;
          }
        }
        JsonArray choices = chunk.getJsonArray("choices");
        if (choices != null && !choices.isEmpty()) {
          JsonObject choice = choices.getJsonObject(0);
          JsonObject delta = choice.getJsonObject("delta");
          if (delta != null && delta.getValue("content") instanceof String content) {
            text.accept(content);
          }
          if (choice.getValue("finish_reason") != null) {
            finishReason = true;
          }
        }
      }

      @Override
      public boolean complete() {
        return done || finishReason;
      }
    };
  }
}
