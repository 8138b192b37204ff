package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.ConfigException;
import ai.zmarty.config.RawConfig;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.testing.Sse;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CORS_ORIGINS against a real node: none by default (a preflight is 403 JSON, no request gets
 * Access-Control-Allow-Origin); a listed origin's preflight is allowed with the API's headers, its
 * requests (an SSE chat, a 429) carry its origin and expose Retry-After and RateLimit-*; another
 * origin's preflight is refused and its requests get no CORS headers.
 */
@ExtendWith(VertxExtension.class)
class CorsTest {
  private static final String APP = "https://app.zmarty.example";
  private static final String OTHER = "https://evil.example";

  private static HttpResponse<Buffer> preflight(TestNode node, String origin, String path) throws Exception {
    return node.client().request(HttpMethod.OPTIONS, node.port(), "127.0.0.1", path).putHeader("Origin", origin)
        .putHeader("Access-Control-Request-Method", "POST").putHeader("Access-Control-Request-Headers", "authorization,content-type")
        .send().await(15, TimeUnit.SECONDS);
  }

  private static HttpRequest<Buffer> chat(TestNode node, String origin, UUID user) {
    return node.client().post(node.port(), "127.0.0.1", "/chat").putHeader("Origin", origin).putHeader("Authorization", "Bearer " + TestJwt.valid(user))
        .putHeader("Accept", "text/event-stream");
  }

  private static void refusedPreflight(HttpResponse<Buffer> r, String origin) {
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.getHeader("Access-Control-Allow-Origin")).isNull();
    assertThat(r.getHeader("Access-Control-Allow-Methods")).isNull();
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("error")).isEqualTo("forbidden");
    assertThat(body.getString("message")).contains(origin, "CORS_ORIGINS");
  }

  @Test
  void noOriginIsAllowedByDefault(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.api(vertx, dbs, Map.of());
    refusedPreflight(preflight(node, APP, "/chat"), APP);
    UUID user = Users.create(dbs.chat(), "pro", 100);
    HttpResponse<Buffer> credits = node.client().get(node.port(), "127.0.0.1", "/credits").putHeader("Origin", APP)
        .putHeader("Authorization", "Bearer " + TestJwt.valid(user)).send().await(15, TimeUnit.SECONDS);
    // served (a same-origin page's browser sends Origin too), but no other origin's page may read it
    assertThat(credits.statusCode()).isEqualTo(200);
    assertThat(credits.getHeader("Access-Control-Allow-Origin")).isNull();
    assertThat(credits.getHeader("Access-Control-Expose-Headers")).isNull();
  }

  @Test
  void aListedOriginIsAnsweredAndAnotherIsRefused(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.api(vertx, dbs, Map.of("CORS_ORIGINS", "https://other.example, " + APP.toUpperCase(java.util.Locale.ROOT), "OFFLINE_PACE", "1ms",
        "RATE_LIMIT_PER_MINUTE", "1"));

    HttpResponse<Buffer> allowed = preflight(node, APP, "/chat");
    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.getHeader("Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(allowed.getHeader("Access-Control-Allow-Methods")).contains("GET", "POST", "DELETE");
    assertThat(List.of(allowed.getHeader("Access-Control-Allow-Headers").split(",\\s*"))).contains("Authorization", "Content-Type", "X-API-Key");
    assertThat(allowed.getHeader("Access-Control-Allow-Credentials")).isNull();
    assertThat(allowed.getHeader("Vary")).contains("Origin");

    refusedPreflight(preflight(node, OTHER, "/chat"), OTHER);
    // an origin is matched exactly: not by prefix, not with another scheme or port
    refusedPreflight(preflight(node, APP + ".evil.example", "/chat"), APP + ".evil.example");
    refusedPreflight(preflight(node, "http://app.zmarty.example", "/chat"), "http://app.zmarty.example");
    refusedPreflight(preflight(node, APP + ":8443", "/chat"), APP + ":8443");

    // the SSE chat, cross-origin from the listed origin: streamed, and readable by that page
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    HttpResponse<Buffer> streamed = chat(node, APP, user).sendJsonObject(new JsonObject().put("message", "What's the signal for BTC?")).await(30, TimeUnit.SECONDS);
    assertThat(streamed.statusCode()).as(streamed.bodyAsString()).isEqualTo(200);
    assertThat(streamed.getHeader("Content-Type")).startsWith("text/event-stream");
    assertThat(streamed.getHeader("Access-Control-Allow-Origin")).isEqualTo(APP);
    List<Sse.Event> events = Sse.parse(streamed.bodyAsString());
    assertThat(events).extracting(Sse.Event::name).contains("token", "done");
    assertThat(events.stream().filter(e -> e.name().equals("token")).count()).isGreaterThan(1);

    // the next one is over the limit: the page can read Retry-After and the RateLimit-* headers
    HttpResponse<Buffer> limited = chat(node, APP, user).sendJsonObject(new JsonObject().put("message", "again")).await(30, TimeUnit.SECONDS);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.getHeader("Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(limited.getHeader("Retry-After")).isNotNull();
    assertThat(List.of(limited.getHeader("Access-Control-Expose-Headers").split(",\\s*"))).contains("Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset");

    // the bridge's SockJS HTTP transports too: only the listed origin may read them
    HttpResponse<Buffer> info = node.client().get(node.port(), "127.0.0.1", "/eventbus/info").putHeader("Origin", APP).send().await(15, TimeUnit.SECONDS);
    assertThat(info.statusCode()).isEqualTo(200);
    assertThat(info.getHeader("Access-Control-Allow-Origin")).isEqualTo(APP);
    HttpResponse<Buffer> otherInfo = node.client().get(node.port(), "127.0.0.1", "/eventbus/info").putHeader("Origin", OTHER).send().await(15, TimeUnit.SECONDS);
    assertThat(otherInfo.statusCode()).isEqualTo(200);
    assertThat(otherInfo.getHeader("Access-Control-Allow-Origin")).isNull();
    assertThat(otherInfo.getHeader("Access-Control-Allow-Credentials")).isNull();

    // another origin's request is served without CORS headers: its page cannot read the answer
    HttpResponse<Buffer> other = chat(node, OTHER, Users.create(dbs.chat(), "pro", 1000)).sendJsonObject(new JsonObject().put("message", "hi")).await(30, TimeUnit.SECONDS);
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.getHeader("Access-Control-Allow-Origin")).isNull();
    assertThat(other.getHeader("Access-Control-Expose-Headers")).isNull();
  }

  @Test
  void corsOriginsMustBeExactOrigins() {
    for (String bad : List.of("*", "https://app.example/", "https://app.example/path", "app.example", "ftp://app.example", "https://*.example", "https://app.example:99999")) {
      Assertions.assertThatThrownBy(() -> ZmartyConfig.from(RawConfig.load(Map.of("CORS_ORIGINS", bad))))
          .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("CORS_ORIGINS").hasMessageContaining("is not an origin");
    }
    ZmartyConfig ok = ZmartyConfig.from(RawConfig.load(Map.of("CORS_ORIGINS", "https://App.Example, http://localhost:5173,http://[::1]:8080")));
    assertThat(ok.http().corsOrigins()).containsExactly("https://app.example", "http://localhost:5173", "http://[::1]:8080");
    assertThat(ZmartyConfig.from(RawConfig.load(Map.of())).http().corsOrigins()).isEmpty();
  }
}
