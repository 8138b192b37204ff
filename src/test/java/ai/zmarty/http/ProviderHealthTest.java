package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.FakeProvider;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** /healthz reports whether the configured model providers answer, by listing their models (no tokens). */
@ExtendWith(VertxExtension.class)
class ProviderHealthTest {
  private static TestDatabases.Pair dbs;
  private FakeProvider grok;
  private Vertx vertx;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void fake(Vertx vertx) {
    this.vertx = vertx;
    grok = FakeProvider.start(vertx);
  }

  private JsonObject healthz(Map<String, String> overrides, int expectedStatus) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("MODEL_PROVIDER", "offline", "HEALTH_CHECK_TIMEOUT", "2s"));
    env.putAll(overrides);
    TestNode node = TestNode.api(vertx, dbs, env);
    HttpResponse<Buffer> r = node.client().get(node.port(), "127.0.0.1", "/healthz").send().await(15, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(expectedStatus);
    return r.bodyAsJsonObject();
  }

  private static JsonObject check(JsonObject body, String name) {
    JsonArray checks = body.getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      if (name.equals(checks.getJsonObject(i).getString("name"))) {
        return checks.getJsonObject(i);
      }
    }
    throw new AssertionError("no check " + name + " in " + body.encode());
  }

  @Test
  void grokListingItsModelsIsUpAndCostsNoTokens() throws Exception {
    grok.then(FakeProvider.error(200, "openai/models.json", Map.of()));
    JsonObject body = healthz(Map.of("XAI_API_KEY", "xai-test-key", "XAI_BASE_URL", grok.baseUrl("/v1")), 200);
    JsonObject c = check(body, "provider:grok");
    assertThat(c.getString("status")).isEqualTo("UP");
    assertThat(c.getInteger("http_status")).isEqualTo(200);
    assertThat(grok.requests).hasSize(1);
    assertThat(grok.requests.get(0).path()).isEqualTo("/v1/models");
    assertThat(grok.requests.get(0).headers().get("authorization")).isEqualTo("Bearer xai-test-key");
  }

  @Test
  void aRefusedKeyIsDownAnd503() throws Exception {
    grok.then(FakeProvider.error(401, "openai/invalid_key.json", Map.of()));
    JsonObject body = healthz(Map.of("XAI_API_KEY", "xai-wrong", "XAI_BASE_URL", grok.baseUrl("/v1")), 503);
    JsonObject c = check(body, "provider:grok");
    assertThat(c.getString("status")).isEqualTo("DOWN");
    assertThat(c.getInteger("http_status")).isEqualTo(401);
    assertThat(c.getString("error")).contains("401");
    assertThat(check(body, "database_chat").getString("status")).isEqualTo("UP");
  }

  @Test
  void aServerErrorIsDown() throws Exception {
    grok.then(FakeProvider.error(503, "xai/server_error.json", Map.of()));
    JsonObject body = healthz(Map.of("XAI_API_KEY", "xai-test-key", "XAI_BASE_URL", grok.baseUrl("/v1")), 503);
    assertThat(check(body, "provider:grok").getString("status")).isEqualTo("DOWN");
  }

  @Test
  void anUnreachableProviderIsDownAnd503() throws Exception {
    JsonObject body = healthz(Map.of("XAI_API_KEY", "xai-test-key", "XAI_BASE_URL", "http://127.0.0.1:1/v1"), 503);
    JsonObject c = check(body, "provider:grok");
    assertThat(c.getString("status")).isEqualTo("DOWN");
    assertThat(c.getString("error")).startsWith("unreachable");
  }

  @Test
  void aProviderThatNeverAnswersIsDownWithinTheCheckTimeout() throws Exception {
    grok.always(FakeProvider.silent());
    long t0 = System.nanoTime();
    JsonObject body = healthz(Map.of("XAI_API_KEY", "xai-test-key", "XAI_BASE_URL", grok.baseUrl("/v1"), "HEALTH_CHECK_TIMEOUT", "500ms"), 503);
    assertThat(check(body, "provider:grok").getString("status")).isEqualTo("DOWN");
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
  }

  @Test
  void withoutAKeyGrokIsSkippedAndTheDemoStays200() throws Exception {
    JsonObject body = healthz(Map.of(), 200);
    JsonObject c = check(body, "provider:grok");
    assertThat(c.getString("status")).isEqualTo("UP");
    assertThat(c.getBoolean("skipped")).isTrue();
    assertThat(grok.requests).isEmpty();
  }

  @Test
  void claudeIsProbedOnItsOwnModelsPathWithItsHeaders() throws Exception {
    grok.then(FakeProvider.error(200, "anthropic/models.json", Map.of()));
    JsonObject body = healthz(Map.of("HEALTH_PROVIDERS", "claude", "ANTHROPIC_API_KEY", "anthropic-test-key", "ANTHROPIC_BASE_URL", grok.baseUrl("")), 200);
    assertThat(check(body, "provider:claude").getString("status")).isEqualTo("UP");
    assertThat(body.getJsonArray("checks").stream().map(o -> ((JsonObject) o).getString("name"))).doesNotContain("provider:grok");
    assertThat(grok.requests.get(0).path()).isEqualTo("/v1/models");
    assertThat(grok.requests.get(0).headers().get("x-api-key")).isEqualTo("anthropic-test-key");
    assertThat(grok.requests.get(0).headers().get("anthropic-version")).isNotBlank();
  }

  @Test
  void geminiIsProbedOnV1betaModels() throws Exception {
    grok.then(FakeProvider.error(200, "openai/models.json", Map.of()));
    JsonObject body = healthz(Map.of("HEALTH_PROVIDERS", "gemini", "GEMINI_API_KEY", "gemini-test-key", "GEMINI_BASE_URL", grok.baseUrl("")), 200);
    assertThat(check(body, "provider:gemini").getString("status")).isEqualTo("UP");
    assertThat(grok.requests.get(0).path()).isEqualTo("/v1beta/models");
    assertThat(grok.requests.get(0).headers().get("x-goog-api-key")).isEqualTo("gemini-test-key");
  }

  @Test
  void frequentHealthChecksShareOneProbeOfTheProvider() throws Exception {
    grok.always(FakeProvider.error(200, "openai/models.json", Map.of()));
    Map<String, String> env = Map.of("MODEL_PROVIDER", "offline", "XAI_API_KEY", "xai-test-key", "XAI_BASE_URL", grok.baseUrl("/v1"));
    TestNode node = TestNode.api(vertx, dbs, env);
    WebClient client = node.client();
    for (int i = 0; i < 3; i++) {
      assertThat(client.get(node.port(), "127.0.0.1", "/healthz").send().await(15, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    assertThat(grok.requests).hasSize(1);
  }
}
