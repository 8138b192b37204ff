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
 * Anthropic Messages streaming ({@code POST {base}/v1/messages}): named events. Input tokens come
 * in {@code message_start}; {@code message_delta} carries the output total so far (assigned, never
 * added); {@code error} events (e.g. {@code overloaded_error}) may arrive after an HTTP 200. A
 * structured answer is a forced tool call whose input arrives as {@code input_json_delta} pieces.
 */
public final class AnthropicProvider extends SseProvider {
  static final String VERSION = "2023-06-01";

  public AnthropicProvider(Vertx vertx, ProviderConfig config, ProvidersConfig timeouts, TokenCounter tokens) {
    super(vertx, config, timeouts, tokens);
  }

  @Override
  protected String url(Call call) {
    return config.baseUrl() + "/v1/messages";
  }

  @Override
  protected void headers(MultiMap headers) {
    headers.set("x-api-key", config.apiKey().orElse(""));
    headers.set("anthropic-version", VERSION);
  }

  @Override
  protected JsonObject body(Call call) {
    JsonObject body = new JsonObject()
        .put("model", config.model())
        .put("max_tokens", call.maxTokens())
        .put("stream", true)
        .put("system", call.prompt().system())
        .put("messages", messages(call));
    if (call.output() != null) {
      // no JSON mode: one tool whose input is the answer, forced; its input streams as input_json_delta
      body.put("tools", new JsonArray().add(OutputSchemas.anthropicTool(call.output())))
          .put("tool_choice", new JsonObject().put("type", "tool").put("name", call.output().name()));
    }
    return body;
  }

  /** Earlier turns, then the question (the API combines consecutive turns of one role). */
  private static JsonArray messages(Call call) {
    JsonArray messages = new JsonArray();
    call.prompt().history().forEach(t -> messages.add(new JsonObject().put("role", t.role()).put("content", t.content())));
    return messages.add(new JsonObject().put("role", "user").put("content", call.prompt().user()));
  }

  @Override
  protected Decoder decoder() {
    return new Decoder() {
      private boolean stopped;

      @Override
      public void onEvent(String event, String data, Consumer<String> text, Reported usage) {
        JsonObject json = new JsonObject(data);
        String type = json.getString("type", event);
        switch (type) {
          case "message_start" -> {
            JsonObject u = json.getJsonObject("message").getJsonObject("usage");
            if (u != null && u.getLong("input_tokens") != null) {
              usage.input = u.getLong("input_tokens") + u.getLong("cache_creation_input_tokens", 0L) + u.getLong("cache_read_input_tokens", 0L);
            }
          }
          case "content_block_delta" -> {
            JsonObject delta = json.getJsonObject("delta");
            if ("text_delta".equals(delta.getString("type"))) {
              text.accept(delta.getString("text"));
            } else if ("input_json_delta".equals(delta.getString("type"))) {
              text.accept(delta.getString("partial_json")); // a forced tool's input: the structured answer
            }
          }
          case "message_delta" -> {
            JsonObject u = json.getJsonObject("usage");
            if (u != null && u.getLong("output_tokens") != null) {
              usage.output = u.getLong("output_tokens");
            }
          }
          case "message_stop" -> stopped = true;
          case "error" -> throw ProviderFailure.fromStreamError(name(), json.getJsonObject("error", new JsonObject()));
          default -> {
            // ping, content_block_start, content_block_stop
          }
        }
      }

      @Override
      public boolean complete() {
        return stopped;
      }
    };
  }
}
