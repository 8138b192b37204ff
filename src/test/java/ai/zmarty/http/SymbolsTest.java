package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SymbolsTest {
  private static TestDatabases.Pair dbs;
  private WebClient client;
  private int port;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void api(Vertx vertx) throws Exception {
    TestNode node = TestNode.api(vertx, dbs, Map.of());
    port = node.port();
    client = node.client();
  }

  private HttpResponse<Buffer> add(UUID user, JsonObject body) throws Exception {
    return client.post(port, "127.0.0.1", "/symbols").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).sendJsonObject(body).await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> list(UUID user) throws Exception {
    return client.get(port, "127.0.0.1", "/symbols").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).send().await(10, TimeUnit.SECONDS);
  }

  @Test
  void addListAndRemoveAPair() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 0);
    assertThat(add(user, new JsonObject().put("symbol", "sol/usdt").put("timeframe", "1h")).statusCode()).isEqualTo(201);
    assertThat(add(user, new JsonObject().put("symbol", "SOL/USDT").put("timeframe", "1h")).statusCode()).isEqualTo(200);
    assertThat(list(user).bodyAsJsonObject().getJsonArray("symbols")).hasSize(1);
    assertThat(Sql.count(dbs.chat(), "select count(*) from user_symbols where user_id = '" + user + "' and symbol = 'SOL/USDT'")).isEqualTo(1);

    HttpResponse<Buffer> removed = client.delete(port, "127.0.0.1", "/symbols/SOL%2FUSDT/1h").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).send().await(10, TimeUnit.SECONDS);
    assertThat(removed.statusCode()).isEqualTo(200);
    assertThat(list(user).bodyAsJsonObject().getJsonArray("symbols")).isEmpty();

    HttpResponse<Buffer> again = client.delete(port, "127.0.0.1", "/symbols/SOL%2FUSDT/1h").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).send().await(10, TimeUnit.SECONDS);
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(again.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
  }

  @Test
  void usersSeeOnlyTheirOwnPairs() throws Exception {
    UUID x = Users.create(dbs.chat(), "pro", 0);
    UUID y = Users.create(dbs.chat(), "pro", 0);
    add(x, new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "4h"));
    assertThat(list(y).bodyAsJsonObject().getJsonArray("symbols")).isEmpty();
    HttpResponse<Buffer> r = client.delete(port, "127.0.0.1", "/symbols/BTC%2FUSDT/4h").putHeader("Authorization", "Bearer " + TestJwt.valid(y)).send().await(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(list(x).bodyAsJsonObject().getJsonArray("symbols")).hasSize(1);
  }

  @Test
  void badPairsAre400WithTheReason() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 0);
    HttpResponse<Buffer> r = add(user, new JsonObject().put("symbol", "BTC").put("timeframe", "1h"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("message")).contains("BASE/QUOTE");
    r = add(user, new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "2h"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("message")).contains("timeframe");
  }

  @Test
  void aTokenForAUserWithoutProfileIsForbidden() throws Exception {
    HttpResponse<Buffer> r = add(UUID.randomUUID(), new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "1h"));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.bodyAsJsonObject().containsKey("error")).isTrue();
  }
}
