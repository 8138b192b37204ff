package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
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

/** {@code GET /liquidations} through real HTTP against the clusters ingest stored in B. */
@ExtendWith(VertxExtension.class)
class LiquidationsRouteTest {
  private static TestDatabases.Pair dbs;
  private WebClient client;
  private int port;
  private UUID user;

  @BeforeAll
  static void clustersOfBtc() {
    dbs = TestDatabases.migrated();
    Sql.exec(dbs.trading(), "insert into liq_clusters (symbol, side, price_bin, notional, intensity, basis) values "
        + "('BTC/USDT', 'long', 60000, 5000000, 0.5, 'open_interest'), ('BTC/USDT', 'short', 70000, 10000000, 1.0, 'open_interest'), ('ETH/USDT', 'long', 3000, 1, 1, 'volume')");
  }

  @BeforeEach
  void api(Vertx vertx) throws Exception {
    TestNode node = TestNode.api(vertx, dbs, Map.of());
    port = node.port();
    client = node.client();
    user = Users.create(dbs.chat(), "free", 10);
  }

  private HttpResponse<Buffer> get(String query, boolean token) throws Exception {
    var request = client.get(port, "127.0.0.1", "/liquidations" + query);
    if (token) {
      request.putHeader("Authorization", "Bearer " + TestJwt.valid(user));
    }
    return request.send().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aSymbolInAnyFormGetsItsClustersStrongestFirst() throws Exception {
    HttpResponse<Buffer> r = get("?symbol=btcusdt", true);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("symbol")).isEqualTo("BTC/USDT");
    assertThat(body.getString("source")).isEqualTo("estimate");
    assertThat(body.getString("basis")).isEqualTo("open_interest");
    JsonArray clusters = body.getJsonArray("clusters");
    assertThat(clusters).hasSize(2);
    assertThat(clusters.getJsonObject(0)).isEqualTo(new JsonObject().put("side", "short").put("price", 70000.0).put("notional", 1.0e7).put("intensity", 1.0));
    assertThat(clusters.getJsonObject(1).getString("side")).isEqualTo("long");
  }

  @Test
  void aSymbolWithoutClustersYetIsAnEmptyList() throws Exception {
    JsonObject body = get("?symbol=SOL/USDT", true).bodyAsJsonObject();
    assertThat(body.getJsonArray("clusters")).isEmpty();
    assertThat(body.getValue("basis")).isNull();
  }

  @Test
  void cryptometerAndKingfisherAre501UntilConfigured() throws Exception {
    for (String source : new String[] {"cryptometer", "kingfisher"}) {
      HttpResponse<Buffer> r = get("?symbol=BTC/USDT&source=" + source, true);
      assertThat(r.statusCode()).isEqualTo(501);
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("not_implemented");
      assertThat(r.bodyAsJsonObject().getString("message")).contains(source).contains("not configured");
    }
  }

  @Test
  void badInputIs400AndNoTokenIs401() throws Exception {
    assertThat(get("", true).statusCode()).isEqualTo(400);
    assertThat(get("", true).bodyAsJsonObject().getString("message")).contains("symbol");
    assertThat(get("?symbol=BTC/USDT&source=coinglass", true).statusCode()).isEqualTo(400);
    assertThat(get("?symbol=%24%24%24", true).statusCode()).isEqualTo(400);
    assertThat(get("?symbol=BTC/USDT", false).statusCode()).isEqualTo(401);
  }
}
