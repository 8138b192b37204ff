package ai.zmarty.limit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.db.Pools;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClusterRateLimiterTest {
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = Pools.create(vertx, TestDatabases.migrated().trading(), 8, "limiter-test");
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static ClusterRateLimiter.Decision take(ClusterRateLimiter limiter, String key) throws Exception {
    return limiter.take(key).await(10, TimeUnit.SECONDS);
  }

  @Test
  void aFullBucketGrantsTheBurstThenRefusesWithTheWaitForOneToken() throws Exception {
    // 1 a minute: nothing measurable refills while the test runs
    ClusterRateLimiter limiter = new ClusterRateLimiter(pool, new ClusterRateLimiter.Policy(1, 5), "t1");
    for (int i = 0; i < 5; i++) {
      ClusterRateLimiter.Decision d = take(limiter, "a");
      assertThat(d.allowed()).as("request %d", i + 1).isTrue();
      assertThat(d.remaining()).isEqualTo(4 - i);
    }
    ClusterRateLimiter.Decision refused = take(limiter, "a");
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfterSeconds()).isBetween(55L, 60L);
    Map<String, String> headers = new LinkedHashMap<>();
    refused.headers(headers::put);
    assertThat(headers).containsEntry("RateLimit-Limit", "5").containsEntry("RateLimit-Remaining", "0").containsKey("Retry-After");
    assertThat(Long.parseLong(headers.get("RateLimit-Reset"))).isBetween(290L, 300L);
    // another key, and the same key under another namespace, have buckets of their own
    assertThat(take(limiter, "b").allowed()).isTrue();
    assertThat(take(new ClusterRateLimiter(pool, new ClusterRateLimiter.Policy(1, 5), "t1-other"), "a").allowed()).isTrue();
  }

  @Test
  void refusedRequestsDoNotDrainTheBucketAndItRefillsAtTheSustainedRate() throws Exception {
    // 600 a minute = 10 a second, burst 3
    ClusterRateLimiter limiter = new ClusterRateLimiter(pool, new ClusterRateLimiter.Policy(600, 3), "t2");
    int granted = 0;
    for (int i = 0; i < 3; i++) {
      granted += take(limiter, "k").allowed() ? 1 : 0;
    }
    assertThat(granted).isEqualTo(3);
    Eventually.await(Duration.ofSeconds(10), "a token refilled after ~0.1 s", () -> {
      try {
        return take(limiter, "k").allowed();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void concurrentTakersTogetherGetExactlyTheBurst() throws Exception {
    ClusterRateLimiter limiter = new ClusterRateLimiter(pool, new ClusterRateLimiter.Policy(1, 20), "t3");
    List<Future<ClusterRateLimiter.Decision>> all = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      all.add(limiter.take("shared"));
    }
    Future.all(all).await(30, TimeUnit.SECONDS);
    assertThat(all.stream().filter(f -> f.result().allowed()).count()).isEqualTo(20);
  }

  /** Not a bound (the CPU is shared): prints what one check costs, for the README's figure. */
  @Test
  void measuresTheCostOfOneCheck() throws Exception {
    ClusterRateLimiter limiter = new ClusterRateLimiter(pool, new ClusterRateLimiter.Policy(1_000_000, 1_000_000), "t4");
    for (int i = 0; i < 100; i++) {
      take(limiter, "warm");
    }
    int n = 1000;
    long[] micros = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      assertThat(take(limiter, "bench").allowed()).isTrue();
      micros[i] = (System.nanoTime() - t0) / 1000;
    }
    java.util.Arrays.sort(micros);
    System.out.printf("ClusterRateLimiter: one check over %d sequential calls: p50 %d µs, p95 %d µs, p99 %d µs%n", n, micros[n / 2], micros[n * 95 / 100], micros[n * 99 / 100]);
  }
}
