package ai.zmarty.credit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.db.Pools;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.Users;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class CreditLedgerTest {
  private static TestDatabases.Pair dbs;
  private Pool pool;
  private CreditLedger ledger;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void ledger(Vertx vertx) {
    pool = Pools.create(vertx, dbs.chat(), 8, "credit-test");
    ledger = new CreditLedger(pool, new Pricing(Map.of("grok", new Pricing.Rate(1, 4, 1))), Duration.ofMinutes(10));
  }

  @AfterEach
  void close() throws Exception {
    pool.close().await(5, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  @Test
  void settlingTwiceWritesOneRow() throws Exception {
    UUID user = Users.create(dbs.chat(), "free", 100);
    await(ledger.reserve("r1", user, "grok", 100));
    var first = await(ledger.settle("r1", user, "grok", 100, 200, false));
    var second = await(ledger.settle("r1", user, "grok", 100, 200, false));
    assertThat(first.charged()).isEqualTo(2); // ceil(0.1 + 0.8) + 1
    assertThat(second.alreadySettled()).isTrue();
    assertThat(second.charged()).isEqualTo(2);
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where request_id = 'r1'")).isEqualTo(1);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(98);
  }

  @Test
  void aReservationBlocksTheCreditsUntilReleased() throws Exception {
    UUID user = Users.create(dbs.chat(), "free", 10); // free worst case at 0 input: ceil(4.096) + 1 = 6
    var hold = await(ledger.reserve("a", user, "grok", 0));
    assertThat(hold.amount()).isEqualTo(6);
    Throwable refused = ledger.reserve("b", user, "grok", 0).transform(ar -> Future.succeededFuture(ar.cause())).await(10, TimeUnit.SECONDS);
    assertThat(refused).isInstanceOf(ReplyException.class);
    assertThat(ErrorCode.of(refused)).isEqualTo(ErrorCode.PAYMENT_REQUIRED);
    await(ledger.release("a", user));
    assertThat(await(ledger.reserve("b", user, "grok", 0)).amount()).isEqualTo(6);
  }

  @Test
  void aChargeNeverExceedsTheHold() throws Exception {
    UUID user = Users.create(dbs.chat(), "free", 10);
    await(ledger.reserve("big", user, "grok", 0)); // holds 6
    var s = await(ledger.settle("big", user, "grok", 100_000, 100_000, false));
    assertThat(s.charged()).isEqualTo(6);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(4);
  }

  @Test
  void anExpiredHoldNoLongerCounts() throws Exception {
    UUID user = Users.create(dbs.chat(), "free", 6);
    await(ledger.reserve("stale", user, "grok", 0));
    Sql.exec(dbs.chat(), "update credit_holds set expires_at = now() - interval '1 second' where request_id = 'stale'");
    assertThat(await(ledger.reserve("fresh", user, "grok", 0)).amount()).isEqualTo(6);
  }

  @Test
  void openingAnAccountCreatesTheProfileAndGrantsOnce() throws Exception {
    UUID user = UUID.randomUUID();
    Sql.exec(dbs.chat(), "insert into auth.users (id, email) values ('" + user + "', 'open@test')");
    boolean first = await(pool.withTransaction(conn -> CreditLedger.openAccount(conn, user, Tier.PRO, 250, "welcome", "welcome-" + user)));
    assertThat(first).isTrue();
    boolean again = await(pool.withTransaction(conn -> CreditLedger.openAccount(conn, user, Tier.FREE, 999, "welcome", "welcome-again-" + user)));
    assertThat(again).isFalse();
    assertThat(await(ledger.tier(user))).isEqualTo(Tier.PRO);
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(250);
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + user + "'")).isEqualTo(1);
  }

  @Test
  void aChatTurnIsKeptWithItsSettlementExactlyWhenItIsCharged() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    UUID session = UUID.randomUUID();
    await(ledger.reserve("turn-1", user, "grok", 100));
    var settled = await(ledger.settle("turn-1", user, "grok", 100, 200, false, new CreditLedger.Turn(session, true, "what now?", "hold", null)));
    assertThat(settled.charged()).isPositive();
    assertThat(settled.turnStored()).isTrue();
    assertThat(Sql.one(dbs.chat(), "select turns from chat_sessions where id = '" + session + "' and user_id = '" + user + "'")).isEqualTo("1");
    assertThat(Sql.column(dbs.chat(), "select role || ':' || content from chat_messages where request_id = 'turn-1' order by id")).containsExactly("user:what now?", "assistant:hold");
    // settled again: the same charge, the turn reported as kept, not written twice
    var again = await(ledger.settle("turn-1", user, "grok", 100, 200, false, new CreditLedger.Turn(session, true, "what now?", "hold", null)));
    assertThat(again.alreadySettled()).isTrue();
    assertThat(again.turnStored()).isTrue();
    assertThat(Sql.count(dbs.chat(), "select count(*) from chat_messages where request_id = 'turn-1'")).isEqualTo(2);

    // nothing charged (no output, free provider call): nothing kept
    UUID free = UUID.randomUUID();
    CreditLedger zero = new CreditLedger(pool, new Pricing(Map.of("grok", new Pricing.Rate(0, 0, 0))), Duration.ofMinutes(10));
    var unpaid = await(zero.settle("turn-2", user, "grok", 0, 0, false, new CreditLedger.Turn(free, true, "q", "", null)));
    assertThat(unpaid.charged()).isZero();
    assertThat(unpaid.turnStored()).isFalse();
    assertThat(Sql.count(dbs.chat(), "select count(*) from chat_sessions where id = '" + free + "'")).isZero();
  }

  @Test
  void aTurnThatCannotBeKeptUndoesItsSettlement() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    await(ledger.reserve("turn-x", user, "grok", 100));
    UUID someoneElses = UUID.randomUUID();
    Sql.exec(dbs.chat(), "insert into chat_sessions (id, user_id, turns) values ('" + someoneElses + "', '" + Users.create(dbs.chat(), "pro", 10) + "', 1)");
    // the session id is taken: the new session's insert fails, and with it the charge
    Throwable failed = ledger.settle("turn-x", user, "grok", 100, 200, false, new CreditLedger.Turn(someoneElses, true, "q", "a", null))
        .transform(ar -> Future.succeededFuture(ar.cause())).await(10, TimeUnit.SECONDS);
    assertThat(failed).isNotNull();
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000);
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where request_id = 'turn-x'")).isZero();
    assertThat(Sql.count(dbs.chat(), "select count(*) from credit_holds where request_id = 'turn-x'")).as("the hold stands until released").isEqualTo(1);
  }
}
