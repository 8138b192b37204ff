package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.PgUrl;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HealthzTest {

  private static HttpResponse<Buffer> get(TestNode node, String path) throws Exception {
    return node.client().get(node.port(), "127.0.0.1", path).send().await(15, TimeUnit.SECONDS);
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
  void upWhenBothDatabasesAnswerAndQueuesAreShallow(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.api(vertx, dbs, Map.of());

    HttpResponse<Buffer> r = get(node, "/healthz");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("UP");
    assertThat(check(body, "database_chat").getString("status")).isEqualTo("UP");
    assertThat(check(body, "database_trading").getString("status")).isEqualTo("UP");
    assertThat(check(body, "queue:ingest_indicators").getLong("depth")).isZero();
  }

  @Test
  void downWithTheFailingQueueNamedWhenAQueueIsTooDeep(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    for (int i = 0; i < 4; i++) {
      Sql.exec(dbs.trading(), "select pgmq.send('compute_signals', '{}'::jsonb)");
    }
    TestNode node = TestNode.api(vertx, dbs, Map.of("HEALTH_QUEUE_DEPTH_THRESHOLD", "3"));

    HttpResponse<Buffer> r = get(node, "/healthz");
    assertThat(r.statusCode()).isEqualTo(503);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("DOWN");
    JsonObject deep = check(body, "queue:compute_signals");
    assertThat(deep.getString("status")).isEqualTo("DOWN");
    assertThat(deep.getLong("depth")).isEqualTo(4);
    assertThat(check(body, "queue:ingest_indicators").getString("status")).isEqualTo("UP");
  }

  @Test
  void downWhenADatabaseDoesNotAnswer(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    PgUrl nowhere = new PgUrl("127.0.0.1", 1, "chat", "postgres", "", Map.of());
    ZmartyConfig config = dbs.config(Map.of("ROLES", "api", "HEALTH_CHECK_TIMEOUT", "2s"));
    TestNode node = TestNode.start(vertx, config, nowhere, dbs.trading());

    HttpResponse<Buffer> r = get(node, "/healthz");
    assertThat(r.statusCode()).isEqualTo(503);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(check(body, "database_chat").getString("status")).isEqualTo("DOWN");
    assertThat(check(body, "database_chat").getString("error")).isNotBlank();
    assertThat(check(body, "database_trading").getString("status")).isEqualTo("UP");
  }

  @Test
  void unknownRoutesAnswerJson404(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.api(vertx, dbs, Map.of());
    HttpResponse<Buffer> r = get(node, "/nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
  }
}
