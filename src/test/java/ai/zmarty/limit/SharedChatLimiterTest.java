package ai.zmarty.limit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.db.Pools;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cluster-wide chat limits on a real database A: two limiters on two pools stand for two API nodes. */
class SharedChatLimiterTest {
  private static final Duration LONG_LEASE = Duration.ofMinutes(5);
  private static Vertx vertx;
  private static TestDatabases.Pair dbs;
  private static Pool poolA;
  private static Pool poolB;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    dbs = TestDatabases.migrated();
    poolA = Pools.create(vertx, dbs.chat(), 8, "limits-a");
    poolB = Pools.create(vertx, dbs.chat(), 8, "limits-b");
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static Admission admit(ChatLimiter limiter, UUID user, boolean stream) throws Exception {
    return limiter.admit(user, stream).await(15, TimeUnit.SECONDS);
  }

  private static long slots(UUID user) {
    return Sql.count(dbs.chat(), "select count(*) from chat_stream_slots where user_id = '" + user + "'");
  }

  @Test
  void requestsOnEitherNodeCountOnceAndTheLimitHoldsOverAnyMinute() throws Exception {
    ChatLimiter a = new SharedChatLimiter(poolA, 3, 10, LONG_LEASE, "a");
    ChatLimiter b = new SharedChatLimiter(poolB, 3, 10, LONG_LEASE, "b");
    UUID user = UUID.randomUUID();
    assertThat(admit(a, user, false).remaining()).isEqualTo(2);
    assertThat(admit(b, user, false).remaining()).isEqualTo(1);
    Admission third = admit(a, user, false);
    assertThat(third.admitted()).isTrue();
    assertThat(third.remaining()).isZero();
    Admission refused = admit(b, user, false);
    assertThat(refused.outcome()).isEqualTo(Admission.Outcome.RATE_LIMITED);
    // the first second's hits leave the window when the newest of them is a minute old: at most 60 s from now, more than 50
    assertThat(refused.retryAfterSeconds()).isBetween(50L, 60L);
    Map<String, String> headers = new HashMap<>();
    refused.headers(headers::put);
    assertThat(headers).containsEntry("RateLimit-Limit", "3").containsEntry("RateLimit-Remaining", "0").containsEntry("RateLimit-Policy", "3;w=60")
        .containsEntry("Retry-After", Long.toString(refused.retryAfterSeconds())).containsKey("RateLimit-Reset");
    // refused requests count for nothing: still exactly 3 hits in the window
    for (int i = 0; i < 5; i++) {
      assertThat(admit(i % 2 == 0 ? a : b, user, false).admitted()).isFalse();
    }
    assertThat(Sql.one(dbs.chat(), "select sum(c) from chat_rate_windows, unnest(counts) c where user_id = '" + user + "'")).isEqualTo("3");
    // as if one hit was made 62 s ago and two 30 s ago: exactly one more fits, not three, and the next waits ~31 s
    Sql.exec(dbs.chat(), "update chat_rate_windows set lasts = array[floor(extract(epoch from now()) * 1000) - 62000, floor(extract(epoch from now()) * 1000) - 30000]::bigint[],"
        + " counts = array[1, 2] where user_id = '" + user + "'");
    assertThat(admit(b, user, false).admitted()).isTrue();
    Admission next = admit(a, user, false);
    assertThat(next.admitted()).isFalse();
    assertThat(next.retryAfterSeconds()).isBetween(28L, 32L);
    // another user is not held back
    assertThat(admit(a, UUID.randomUUID(), false).admitted()).isTrue();
  }

  @Test
  void aConcurrentBurstOverBothNodesIsCutAtTheLimit() throws Exception {
    ChatLimiter a = new SharedChatLimiter(poolA, 7, 1000, LONG_LEASE, "a");
    ChatLimiter b = new SharedChatLimiter(poolB, 7, 1000, LONG_LEASE, "b");
    UUID user = UUID.randomUUID();
    List<Future<Admission>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      all.add((i % 2 == 0 ? a : b).admit(user, i % 3 == 0));
    }
    Future.all(all).await(30, TimeUnit.SECONDS);
    assertThat(all.stream().filter(f -> f.result().admitted()).count()).isEqualTo(7);
    assertThat(all.stream().filter(f -> f.result().outcome() == Admission.Outcome.RATE_LIMITED).count()).isEqualTo(33);
  }

  @Test
  void theStreamCapHoldsOverBothNodesAndARefusedStreamCountsForNothing() throws Exception {
    ChatLimiter a = new SharedChatLimiter(poolA, 100, 2, LONG_LEASE, "a");
    ChatLimiter b = new SharedChatLimiter(poolB, 100, 2, LONG_LEASE, "b");
    UUID user = UUID.randomUUID();
    Admission first = admit(a, user, true);
    Admission second = admit(b, user, true);
    assertThat(first.slot()).isNotNull();
    assertThat(second.slot()).isNotNull();
    assertThat(second.remaining()).isEqualTo(98);
    Admission full = admit(a, user, true);
    assertThat(full.outcome()).isEqualTo(Admission.Outcome.STREAMS_FULL);
    assertThat(full.slot()).isNull();
    assertThat(full.remaining()).as("the refused stream was not counted against the rate").isEqualTo(98);
    assertThat(full.retryAfterSeconds()).isEqualTo(1);
    // an estimate needs no slot
    assertThat(admit(a, user, false).admitted()).isTrue();
    b.release(second).await(10, TimeUnit.SECONDS);
    assertThat(slots(user)).as("given back once the release completed").isEqualTo(1);
    b.release(second).await(10, TimeUnit.SECONDS); // twice is once
    assertThat(admit(a, user, true).admitted()).isTrue();
    assertThat(admit(b, user, true).outcome()).isEqualTo(Admission.Outcome.STREAMS_FULL);
  }

  @Test
  void aSlotOfANodeThatDiedLapsesWithItsLease() throws Exception {
    UUID user = UUID.randomUUID();
    // the dead node took a slot and then stopped answering: no renewal (never started), no release
    ChatLimiter dead = new SharedChatLimiter(poolB, 100, 1, Duration.ofSeconds(2), "dead");
    assertThat(admit(dead, user, true).admitted()).isTrue();
    long took = System.nanoTime();
    ChatLimiter live = new SharedChatLimiter(poolA, 100, 1, LONG_LEASE, "live");
    assertThat(admit(live, user, true).outcome()).isEqualTo(Admission.Outcome.STREAMS_FULL);
    Eventually.await(Duration.ofSeconds(20), "the dead node's slot lapsed", () -> {
      try {
        return admit(live, user, true).admitted();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(Duration.ofNanos(System.nanoTime() - took)).as("not before its lease ran out").isGreaterThan(Duration.ofMillis(1500));
    assertThat(Sql.count(dbs.chat(), "select count(*) from chat_stream_slots where user_id = '" + user + "' and node = 'dead'")).as("deleted at the next chat").isZero();
  }

  @Test
  void aRunningAnswerKeepsItsSlotPastTheLeaseAndCloseGivesEveryOneBack() throws Exception {
    UUID user = UUID.randomUUID();
    SharedChatLimiter a = new SharedChatLimiter(poolA, 100, 2, Duration.ofSeconds(1), "a");
    vertx.runOnContext(v -> a.start(vertx));
    Admission one = admit(a, user, true);
    assertThat(admit(a, user, true).admitted()).isTrue();
    String firstExpiry = Sql.one(dbs.chat(), "select expires_at from chat_stream_slots where slot_id = '" + one.slot() + "'");
    // renewed until well past the first lease: were it not, its expiry would have passed
    Eventually.await(Duration.ofSeconds(20), "the slot was renewed past two leases",
        () -> Sql.count(dbs.chat(), "select count(*) from chat_stream_slots where slot_id = '" + one.slot() + "' and expires_at > '" + firstExpiry + "'::timestamptz + interval '2 seconds'") == 1);
    ChatLimiter b = new SharedChatLimiter(poolB, 100, 2, LONG_LEASE, "b");
    assertThat(admit(b, user, true).outcome()).isEqualTo(Admission.Outcome.STREAMS_FULL);
    // a slot an outage let lapse (its row gone) is taken again while its answer runs
    Sql.exec(dbs.chat(), "delete from chat_stream_slots where slot_id = '" + one.slot() + "'");
    Eventually.await(Duration.ofSeconds(10), "the running answer's slot is back", () -> slots(user) == 2);
    a.close().await(10, TimeUnit.SECONDS);
    assertThat(slots(user)).as("the stopping node gave back its slots").isZero();
    assertThat(admit(b, user, true).admitted()).isTrue();
  }

  @Test
  void releasesThatOverlapShareOneDeleteAndEachCompletesWhenItsSlotIsGone() throws Exception {
    SharedChatLimiter a = new SharedChatLimiter(poolA, 100, 50, LONG_LEASE, "a");
    UUID user = UUID.randomUUID();
    List<Admission> streams = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      streams.add(admit(a, user, true));
    }
    assertThat(slots(user)).isEqualTo(20);
    // all at once: the first goes alone, the others wait for it and go together
    List<Future<Void>> released = streams.stream().map(a::release).toList();
    Future.all(released).await(15, TimeUnit.SECONDS);
    assertThat(slots(user)).as("every slot deleted once every release completed").isZero();
    assertThat(a.releaseStatements()).as("statements for 20 overlapping releases").isBetween(1L, 19L);
    // a lone release waits for nothing and takes its own statement
    Admission lone = admit(a, user, true);
    long before = a.releaseStatements();
    a.release(lone).await(10, TimeUnit.SECONDS);
    assertThat(slots(user)).isZero();
    assertThat(a.releaseStatements()).isEqualTo(before + 1);
  }
}
