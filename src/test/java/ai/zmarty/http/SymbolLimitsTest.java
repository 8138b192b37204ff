package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.Users;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9, finding 2: one free user could add 1,000 made-up pairs. Now a pair must be listed on
 * the configured market (400 "unknown symbol on …"), and a user watches at most the tier's cap
 * (403 naming it), enforced atomically.
 */
@ExtendWith(VertxExtension.class)
class SymbolLimitsTest {
  private static final List<String> LISTED = List.of("BTC/USDT", "ETH/USDT", "SOL/USDT", "BNB/USDT", "XRP/USDT", "DOGE/USDT", "ADA/USDT", "AVAX/USDT", "DOT/USDT", "LINK/USDT", "LTC/USDT");
  private static TestDatabases.Pair dbs;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  private static int api(Vertx vertx, Map<String, String> env) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("ROLES", "api");
    return TestNode.start(vertx, dbs.config(all), dbs.chat(), dbs.trading()).wiring().httpPort().orElseThrow();
  }

  private static Future<HttpResponse<Buffer>> add(WebClient client, int port, UUID user, String symbol) {
    return client.post(port, "127.0.0.1", "/symbols").putHeader("Authorization", "Bearer " + TestJwt.valid(user))
        .sendJsonObject(new JsonObject().put("symbol", symbol).put("timeframe", "1h"));
  }

  private static long watched(UUID user) {
    return Sql.count(dbs.chat(), "select count(*) from user_symbols where user_id = '" + user + "'");
  }

  @Test
  void aThousandMadeUpPairsAre400AndTheSixthListedPairOfAFreeUserIs403(Vertx vertx) throws Exception {
    int port = api(vertx, Map.of());
    WebClient client = WebClient.create(vertx);
    UUID user = Users.create(dbs.chat(), "free", 0);

    // the exact requests: Z0000/USDT … Z0999/USDT from one free user
    for (int i = 0; i < 1_000; i++) {
      HttpResponse<Buffer> r = add(client, port, user, String.format("Z%04d/USDT", i)).await(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as("Z%04d/USDT", i).isEqualTo(400);
      if (i == 0) {
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
        assertThat(r.bodyAsJsonObject().getString("message")).startsWith("unknown symbol on simulated").contains("Z0000/USDT");
      }
    }
    assertThat(watched(user)).isZero();

    for (String symbol : LISTED.subList(0, 5)) {
      assertThat(add(client, port, user, symbol).await(10, TimeUnit.SECONDS).statusCode()).as(symbol).isEqualTo(201);
    }
    HttpResponse<Buffer> sixth = add(client, port, user, LISTED.get(5)).await(10, TimeUnit.SECONDS);
    assertThat(sixth.statusCode()).isEqualTo(403);
    assertThat(sixth.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
    assertThat(sixth.bodyAsJsonObject().getString("message")).contains("free tier watches at most 5 pairs").contains("MAX_SYMBOLS_FREE");
    // one already watched is still answered 200 at the cap
    assertThat(add(client, port, user, LISTED.get(0)).await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(watched(user)).isEqualTo(5);
  }

  @Test
  void concurrentAddsAtTheLastFreeSlotAddExactlyOne(Vertx vertx) throws Exception {
    int port = api(vertx, Map.of("MAX_SYMBOLS_PRO", "4"));
    WebClient client = WebClient.create(vertx);
    UUID user = Users.create(dbs.chat(), "pro", 0);
    for (String symbol : LISTED.subList(0, 3)) {
      assertThat(add(client, port, user, symbol).await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
    }
    List<Future<HttpResponse<Buffer>>> racing = new ArrayList<>();
    for (String symbol : LISTED.subList(3, 11)) {
      racing.add(add(client, port, user, symbol));
    }
    Future.join(racing).await(30, TimeUnit.SECONDS);
    List<Integer> statuses = racing.stream().map(f -> f.result().statusCode()).toList();
    assertThat(statuses).containsOnly(201, 403);
    assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
    assertThat(watched(user)).isEqualTo(4);
  }

  @Test
  void aMarketThatCannotBeAskedIs503WithRetryAfterAndNothingIsAdded(Vertx vertx) throws Exception {
    // Hyperliquid at a port where nothing listens: the check fails, which is not an "unknown symbol"
    int port = api(vertx, Map.of("MARKET_PROVIDER", "hyperliquid", "HYPERLIQUID_BASE_URL", "http://127.0.0.1:9", "MARKET_RETRIES", "0", "MARKET_TIMEOUT", "2s"));
    UUID user = Users.create(dbs.chat(), "pro", 0);
    HttpResponse<Buffer> r = add(WebClient.create(vertx), port, user, "BTC/USDT").await(15, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.getHeader("Retry-After")).isEqualTo("30");
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("unavailable");
    assertThat(r.bodyAsJsonObject().getString("message")).contains("cannot check BTC/USDT on hyperliquid");
    assertThat(watched(user)).isZero();
  }
}
