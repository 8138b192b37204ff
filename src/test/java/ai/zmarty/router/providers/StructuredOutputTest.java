package ai.zmarty.router.providers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.lens.ModelDecisionSchema;
import ai.zmarty.router.ModelProvider;
import ai.zmarty.router.TokenCounter;
import ai.zmarty.testing.FakeProvider;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A structured call (the lens's ModelDecision) asks each provider for JSON the way it offers it —
 * the request bodies are checked on the fake — and the JSON arrives as the streamed text, including
 * Anthropic's forced tool input. A chat call carries none of it.
 */
@ExtendWith(VertxExtension.class)
class StructuredOutputTest {
  private static final TokenCounter tokens = new TokenCounter();
  private static final ModelDecisionSchema schema = new ModelDecisionSchema();
  private static final JsonObject DECISION = new JsonObject("""
      {"decision":"ENTER","confidence":0.74,"entry_plan":{"order_type":"limit","price":64250.5},"risk_plan":{"stop":63100,"targets":[65400,66600]},"size_pct":2.5,"reasons":["15m, 1h and 4h trends agree with the long","RSI 58 leaves room before overbought"]}""");
  private FakeProvider fake;
  private Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    fake = FakeProvider.start(vertx);
  }

  /** Harness's provider with generous timeouts: the first call in a loaded JVM warms up a lot. */
  private static ai.zmarty.config.ZmartyConfig.ProvidersConfig config(String name, String baseUrl) {
    var h = Harness.config(name, baseUrl);
    return new ai.zmarty.config.ZmartyConfig.ProvidersConfig(h.grok(), h.gpt(), h.claude(), h.gemini(), java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(5), 3, java.time.Duration.ofSeconds(1));
  }

  private static ModelProvider.Call structured() {
    ModelProvider.Call c = Harness.call();
    return new ModelProvider.Call(c.requestId(), c.prompt(), c.context(), c.maxTokens(), c.inputTokens(), c.cancelled(), schema.output());
  }

  /** The schema as the providers get it: the shipped one without its document keywords. */
  private static JsonObject shape() {
    JsonObject s = schema.schema();
    for (String k : new String[] {"$schema", "$id", "title", "examples"}) {
      s.remove(k);
    }
    return s;
  }

  private String run(ModelProvider provider, String recording) throws Exception {
    fake.then(FakeProvider.sse(recording));
    Harness.Sink sink = new Harness.Sink();
    provider.stream(structured(), sink).await(10, TimeUnit.SECONDS);
    return sink.text();
  }

  @Test
  void openAiGetsAStrictJsonSchemaResponseFormat() throws Exception {
    var config = config("gpt", fake.baseUrl("/v1"));
    String text = run(new OpenAiCompatibleProvider(vertx, config.grok(), config, tokens), "openai/decision.sse");

    JsonObject format = fake.requests.get(0).body().getJsonObject("response_format");
    assertThat(format.getString("type")).isEqualTo("json_schema");
    JsonObject jsonSchema = format.getJsonObject("json_schema");
    assertThat(jsonSchema.getString("name")).isEqualTo("model_decision");
    assertThat(jsonSchema.getBoolean("strict")).isTrue();
    assertThat(jsonSchema.getJsonObject("schema")).isEqualTo(shape());
    assertThat(jsonSchema.getJsonObject("schema").getBoolean("additionalProperties")).isFalse();
    assertThat(jsonSchema.getJsonObject("schema").getJsonArray("required")).containsExactlyInAnyOrder("decision", "confidence", "entry_plan", "risk_plan", "size_pct", "reasons");
    assertThat(new JsonObject(text)).isEqualTo(DECISION);
  }

  @Test
  void geminiGetsAResponseSchemaInItsOpenApiSubsetAndJsonMime() throws Exception {
    var config = config("gemini", fake.baseUrl(""));
    String text = run(new GeminiProvider(vertx, config.grok(), config, tokens), "gemini/decision.sse");

    JsonObject generation = fake.requests.get(0).body().getJsonObject("generationConfig");
    assertThat(generation.getString("responseMimeType")).isEqualTo("application/json");
    assertThat(generation.getInteger("maxOutputTokens")).isEqualTo(1024);
    JsonObject s = generation.getJsonObject("responseSchema");
    assertThat(s.getString("type")).isEqualTo("OBJECT");
    assertThat(s.containsKey("additionalProperties")).isFalse();
    assertThat(s.containsKey("$schema")).isFalse();
    assertThat(s.getJsonArray("required")).containsExactlyInAnyOrder("decision", "confidence", "entry_plan", "risk_plan", "size_pct", "reasons");
    JsonObject props = s.getJsonObject("properties");
    assertThat(props.getJsonObject("decision")).isEqualTo(new JsonObject().put("type", "STRING").put("enum", new JsonArray().add("ENTER").add("WAIT").add("IGNORE"))
        .put("description", shape().getJsonObject("properties").getJsonObject("decision").getString("description")));
    assertThat(props.getJsonObject("confidence").getString("type")).isEqualTo("NUMBER");
    assertThat(props.getJsonObject("confidence").getInteger("maximum")).isEqualTo(1);
    assertThat(props.getJsonObject("risk_plan").getJsonObject("properties").getJsonObject("targets").getJsonObject("items").getString("type")).isEqualTo("NUMBER");
    assertThat(props.getJsonObject("reasons").getString("type")).isEqualTo("ARRAY");
    assertThat(s.getJsonArray("propertyOrdering")).containsExactly("decision", "confidence", "entry_plan", "risk_plan", "size_pct", "reasons");
    assertThat(new JsonObject(text)).isEqualTo(DECISION);
  }

  @Test
  void anthropicGetsOneForcedToolWhoseInputIsTheAnswer() throws Exception {
    var config = config("claude", fake.baseUrl(""));
    String text = run(new AnthropicProvider(vertx, config.grok(), config, tokens), "anthropic/decision_tool.sse");

    JsonObject body = fake.requests.get(0).body();
    JsonArray tools = body.getJsonArray("tools");
    assertThat(tools).hasSize(1);
    assertThat(tools.getJsonObject(0).getString("name")).isEqualTo("model_decision");
    assertThat(tools.getJsonObject(0).getJsonObject("input_schema")).isEqualTo(shape());
    assertThat(body.getJsonObject("tool_choice")).isEqualTo(new JsonObject().put("type", "tool").put("name", "model_decision"));
    // the input_json_delta pieces joined are the decision
    assertThat(new JsonObject(text)).isEqualTo(DECISION);
  }

  @Test
  void aChatCallAsksForNoStructure() throws Exception {
    var openAi = config("gpt", fake.baseUrl("/v1"));
    fake.then(FakeProvider.sse("openai/stream.sse"));
    new OpenAiCompatibleProvider(vertx, openAi.grok(), openAi, tokens).stream(Harness.call(), new Harness.Sink()).await(10, TimeUnit.SECONDS);
    var claude = config("claude", fake.baseUrl(""));
    fake.then(FakeProvider.sse("anthropic/stream.sse"));
    new AnthropicProvider(vertx, claude.grok(), claude, tokens).stream(Harness.call(), new Harness.Sink()).await(10, TimeUnit.SECONDS);
    var gemini = config("gemini", fake.baseUrl(""));
    fake.then(FakeProvider.sse("gemini/stream.sse"));
    new GeminiProvider(vertx, gemini.grok(), gemini, tokens).stream(Harness.call(), new Harness.Sink()).await(10, TimeUnit.SECONDS);

    assertThat(fake.requests.get(0).body().containsKey("response_format")).isFalse();
    assertThat(fake.requests.get(1).body().containsKey("tools")).isFalse();
    assertThat(fake.requests.get(1).body().containsKey("tool_choice")).isFalse();
    assertThat(fake.requests.get(2).body().getJsonObject("generationConfig")).isEqualTo(new JsonObject().put("maxOutputTokens", 1024));
  }
}
