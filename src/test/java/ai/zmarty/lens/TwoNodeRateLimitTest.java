package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two API nodes (each its own Vert.x, pools and HTTP server) on the same databases share each source's limit. */
class TwoNodeRateLimitTest {
  private static final int BURST = 10;
  private static Vertx vertxA;
  private static Vertx vertxB;
  private static TestNode a;
  private static TestNode b;
  private static SourceKeys keys;
  private static TestDatabases.Pair dbs;

  @BeforeAll
  static void start() throws Exception {
    dbs = TestDatabases.migrated();
    // 1 a minute: nothing measurable refills while the test runs, so the burst is the whole allowance
    Map<String, String> env = Map.of("LENS_RATE_PER_MINUTE", "1", "LENS_RATE_BURST", Integer.toString(BURST));
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
    a = TestNode.api(vertxA, dbs, env);
    b = TestNode.api(vertxB, dbs, env);
    keys = new SourceKeys(a.wiring().tradingPool());
  }

  @AfterAll
  static void stop() {
    Future.join(vertxA.close(), vertxB.close()).await();
  }

  private static Future<HttpResponse<Buffer>> post(TestNode node, String key, String source) {
    return node.client().post(node.port(), "127.0.0.1", "/api/v1/signals").putHeader("X-API-Key", key).sendJsonObject(SignalIntakeTest.signal(source));
  }

  @Test
  void alternatingBetweenTheNodesTheSourceGetsTheLimitOnceNotOncePerNode() throws Exception {
    String key = keys.add("alternating").await(10, TimeUnit.SECONDS).key();
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<Buffer> last = null;
    for (int i = 0; i < BURST + 4; i++) {
      last = post(i % 2 == 0 ? a : b, key, "alternating").await(15, TimeUnit.SECONDS);
      statuses.add(last.statusCode());
    }
    assertThat(statuses.subList(0, BURST)).containsOnly(202);
    assertThat(statuses.subList(BURST, BURST + 4)).containsOnly(429);
    assertThat(last.getHeader("Retry-After")).isNotNull();
    assertThat(Long.parseLong(last.getHeader("Retry-After"))).isBetween(1L, 60L);
    assertThat(last.getHeader("RateLimit-Limit")).isEqualTo(Integer.toString(BURST));
    assertThat(last.getHeader("RateLimit-Remaining")).isEqualTo("0");
    assertThat(last.getHeader("RateLimit-Reset")).isNotNull();
    assertThat(last.bodyAsJsonObject().getString("error")).isEqualTo("rate_limited");
    // another source is not held back by this one
    String other = keys.add("bystander").await(10, TimeUnit.SECONDS).key();
    assertThat(post(b, other, "bystander").await(15, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
  }

  @Test
  void aConcurrentBurstSpreadOverBothNodesIsCutAtTheLimit() throws Exception {
    String key = keys.add("burst").await(10, TimeUnit.SECONDS).key();
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 4 * BURST; i++) {
      all.add(post(i % 2 == 0 ? a : b, key, "burst"));
    }
    Future.all(all).await(60, TimeUnit.SECONDS);
    long accepted = all.stream().filter(f -> f.result().statusCode() == 202).count();
    long limited = all.stream().filter(f -> f.result().statusCode() == 429).count();
    assertThat(accepted).isEqualTo(BURST);
    assertThat(limited).isEqualTo(3 * BURST);
    assertThat(ai.zmarty.testing.Sql.count(dbs.trading(), "select count(*) from lens.events where source = 'burst'")).isEqualTo(BURST);
  }
}
