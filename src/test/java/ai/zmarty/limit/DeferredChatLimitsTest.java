package ai.zmarty.limit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.credit.CreditLedger;
import ai.zmarty.credit.Pricing;
import ai.zmarty.db.Pools;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.Users;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A streamed chat's limits checked in its credit hold's round trip ({@code chat_begin}) on a real
 * database A: what the limits refuse holds nothing, what they admit holds its credits and its slot,
 * and a slot renewed before the check reached the database is the request's own.
 */
class DeferredChatLimitsTest {
  private static final Duration LONG_LEASE = Duration.ofMinutes(5);
  private static Vertx vertx;
  private static TestDatabases.Pair dbs;
  private static Pool pool;
  private static CreditLedger ledger;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    dbs = TestDatabases.migrated();
    pool = Pools.create(vertx, dbs.chat(), 8, "deferred-limits");
    ledger = new CreditLedger(pool, new Pricing(Map.of("grok", new Pricing.Rate(1, 4, 1))), Duration.ofMinutes(10));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static CreditLedger.Begun begin(ChatLimiter.Deferred d, UUID user, String requestId) throws Exception {
    return reserve(d, user, requestId).await(15, TimeUnit.SECONDS);
  }

  /** A hold behind the limits the deferred check carries, as the credit verticle reads them from {@code admit}. */
  private static Future<CreditLedger.Begun> reserve(ChatLimiter.Deferred d, UUID user, String requestId) {
    JsonObject a = d.admit();
    return ledger.reserve(requestId, user, List.of("grok"), 10,
        new CreditLedger.Admit(a.getInteger("rate_limit"), a.getLong("window_ms"), UUID.fromString(a.getString("slot")), a.getString("node"), a.getInteger("stream_limit"), a.getLong("lease_ms")));
  }

  private static long count(String sql) {
    return Sql.count(dbs.chat(), sql);
  }

  @Test
  void theLimitsAndTheHoldAnswerTogetherAndARefusalHoldsNothing() throws Exception {
    SharedChatLimiter limiter = new SharedChatLimiter(pool, 2, 5, LONG_LEASE, "node-a");
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    ChatLimiter.Deferred first = limiter.defer(user).orElseThrow();
    CreditLedger.Begun one = begin(first, user, "begin-1");
    assertThat(one.limits().admitted()).isTrue();
    assertThat(one.limits().remaining()).isEqualTo(1);
    assertThat(one.reservation().amount()).isPositive();
    assertThat(count("select count(*) from credit_holds where request_id = 'begin-1'")).isEqualTo(1);
    assertThat(count("select count(*) from chat_stream_slots where slot_id = '" + first.slot() + "' and node = 'node-a'")).isEqualTo(1);
    Admission headers = first.decided(new JsonObject().put("outcome", one.limits().outcome()).put("remaining", one.limits().remaining()).put("reset_ms", one.limits().resetMs()));
    assertThat(headers.admitted()).isTrue();
    assertThat(headers.slot()).isEqualTo(first.slot());

    assertThat(begin(limiter.defer(user).orElseThrow(), user, "begin-2").limits().admitted()).isTrue();
    ChatLimiter.Deferred third = limiter.defer(user).orElseThrow();
    CreditLedger.Begun refused = begin(third, user, "begin-3");
    assertThat(refused.limits().outcome()).isEqualTo("rate_limited");
    assertThat(refused.limits().retryAfterMs()).isPositive();
    assertThat(refused.reservation()).isNull();
    assertThat(count("select count(*) from credit_holds where request_id = 'begin-3'")).as("a refused chat holds no credits").isZero();
    assertThat(count("select count(*) from chat_stream_slots where slot_id = '" + third.slot() + "'")).as("nor a slot").isZero();
    limiter.release(third.slotHolder()).await(10, TimeUnit.SECONDS);
  }

  @Test
  void anAdmittedChatShortOfCreditsKeepsItsSlotForTheCallerToGiveBack() throws Exception {
    SharedChatLimiter limiter = new SharedChatLimiter(pool, 10, 5, LONG_LEASE, "node-a");
    UUID user = Users.create(dbs.chat(), "pro", 1);
    ChatLimiter.Deferred d = limiter.defer(user).orElseThrow();
    Throwable short_ = reserve(d, user, "short-" + d.slot()).transform(ar -> Future.succeededFuture(ar.cause())).await(15, TimeUnit.SECONDS);
    assertThat(short_).isInstanceOf(ReplyException.class).hasMessageContaining("available");
    assertThat(count("select count(*) from credit_holds where user_id = '" + user + "'")).isZero();
    assertThat(count("select count(*) from chat_stream_slots where slot_id = '" + d.slot() + "'")).isEqualTo(1);
    limiter.release(d.slotHolder()).await(10, TimeUnit.SECONDS);
    assertThat(count("select count(*) from chat_stream_slots where slot_id = '" + d.slot() + "'")).isZero();
  }

  @Test
  void aSlotRenewedBeforeItsCheckIsTheRequestsOwn() throws Exception {
    // one stream at a time: were the renewed row counted as another answer's, the check would refuse
    SharedChatLimiter limiter = new SharedChatLimiter(pool, 100, 1, Duration.ofSeconds(1), "node-a");
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    ChatLimiter.Deferred d = limiter.defer(user).orElseThrow();
    vertx.runOnContext(v -> limiter.start(vertx));
    Eventually.await(Duration.ofSeconds(10), "the renewal wrote the held slot's row", () -> count("select count(*) from chat_stream_slots where slot_id = '" + d.slot() + "'") == 1);
    CreditLedger.Begun begun = begin(d, user, "renewed-first");
    assertThat(begun.limits().admitted()).isTrue();
    assertThat(begun.reservation()).isNotNull();
    assertThat(count("select count(*) from chat_stream_slots where user_id = '" + user + "'")).isEqualTo(1);
    // and the cap still holds against the next one
    ChatLimiter.Deferred next = limiter.defer(user).orElseThrow();
    assertThat(begin(next, user, "renewed-second").limits().outcome()).isEqualTo("streams_full");
    limiter.release(next.slotHolder()).await(10, TimeUnit.SECONDS);
    limiter.close().await(10, TimeUnit.SECONDS);
    assertThat(count("select count(*) from chat_stream_slots where user_id = '" + user + "'")).isZero();
  }

  @Test
  void aSlotEndedByItsSettlementStaysEndedThroughARenewalAndFreesTheCap() throws Exception {
    SharedChatLimiter limiter = new SharedChatLimiter(pool, 100, 1, Duration.ofSeconds(1), "node-a");
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    ChatLimiter.Deferred d = limiter.defer(user).orElseThrow();
    assertThat(begin(d, user, "ended-1").limits().admitted()).isTrue();
    CreditLedger.Settlement s = ledger.settle("ended-1", user, "grok", 10, 20, false, new CreditLedger.Turn(UUID.randomUUID(), true, "q", "a", d.slot())).await(15, TimeUnit.SECONDS);
    assertThat(s.turnStored()).isTrue();
    assertThat(s.slotEnded()).isTrue();
    // still held here for a moment (the node has not heard yet): its renewals must not bring the slot back
    UUID other = UUID.randomUUID();
    ChatLimiter.Deferred witness = limiter.defer(other).orElseThrow();
    vertx.runOnContext(v -> limiter.start(vertx));
    Eventually.await(Duration.ofSeconds(10), "a renewal ran (it wrote the other held slot's row)", () -> count("select count(*) from chat_stream_slots where slot_id = '" + witness.slot() + "'") == 1);
    String runAfter = Sql.one(dbs.chat(), "select expires_at from chat_stream_slots where slot_id = '" + witness.slot() + "'");
    Eventually.await(Duration.ofSeconds(10), "a second renewal ran", () -> count("select count(*) from chat_stream_slots where slot_id = '" + witness.slot() + "' and expires_at > '" + runAfter + "'::timestamptz") == 1);
    assertThat(count("select count(*) from chat_stream_slots where slot_id = '" + d.slot() + "' and expires_at = '-infinity'")).as("the ended slot stayed ended").isEqualTo(1);
    limiter.endedWithSettlement(d.slotHolder());
    // the cap is one stream: the next chat is admitted, and the ended row is gone with it
    ChatLimiter.Deferred next = limiter.defer(user).orElseThrow();
    assertThat(begin(next, user, "ended-2").limits().admitted()).isTrue();
    assertThat(count("select count(*) from chat_stream_slots where slot_id = '" + d.slot() + "'")).isZero();
    limiter.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * The hold and the limits commit without waiting for the WAL flush (migration
   * 20260112000100): chat_admit turns synchronous_commit off for the transaction and chat_begin
   * leaves it off, even in a session that commits synchronously (as database A's do); a hold lost
   * in a crash is settled as an expired one. A reservation outside chat_begin keeps the session's.
   */
  @Test
  void theHoldBehindTheLimitsCommitsWithoutWaitingForTheFlush() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    String after = pool.withTransaction(c -> c.query("set local synchronous_commit = on").execute()
        .compose(x -> c.preparedQuery("select outcome from public.chat_begin($1, $2, $3, 60, 100, 60000, $4, 'node-a', 3, 30000)")
            .execute(Tuple.of("unflushed-1", user, new JsonObject().put("pro", 10), UUID.randomUUID())))
        .compose(rows -> {
          assertThat(rows.iterator().next().getString("outcome")).isEqualTo("held");
          return c.query("show synchronous_commit").execute();
        })
        .map(rows -> rows.iterator().next().getString(0))).await(15, TimeUnit.SECONDS);
    assertThat(after).isEqualTo("off");
    String alone = pool.withTransaction(c -> c.query("set local synchronous_commit = on").execute()
        .compose(x -> c.preparedQuery("select outcome from public.credit_reserve($1, $2, $3, 60)")
            .execute(Tuple.of("unflushed-2", user, new JsonObject().put("pro", 10))))
        .compose(rows -> c.query("show synchronous_commit").execute())
        .map(rows -> rows.iterator().next().getString(0))).await(15, TimeUnit.SECONDS);
    assertThat(alone).isEqualTo("on");
    assertThat(count("select count(*) from credit_holds where request_id in ('unflushed-1', 'unflushed-2')")).isEqualTo(2);
  }
}
