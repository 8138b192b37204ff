package ai.zmarty.credit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.PgUrl;
import ai.zmarty.db.Migrations;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.Users;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Database A's per-user balance row ({@code credit_balances}, migration 20260110000100) against the
 * ledger it follows: equal to the sum of the user's ledger rows after every kind of ledger change,
 * concurrent ones included, and filled from the ledger that was there before the migration.
 */
class CreditBalancesTest {
  private static PgUrl chat;

  @BeforeAll
  static void database() {
    chat = TestDatabases.migrated().chat();
  }

  private static long kept(PgUrl db, UUID user) {
    return Sql.count(db, "select coalesce((select balance from credit_balances where user_id = '" + user + "'), -999999)");
  }

  @Test
  void theBalanceRowFollowsEveryInsertChangeAndDeletionOfTheLedger() {
    UUID u = Users.create(chat, "pro", 500);
    UUID other = Users.create(chat, "pro", 70);
    assertThat(kept(chat, u)).isEqualTo(500);
    Sql.exec(chat, "insert into credits_ledger (user_id, delta, reason, request_id) values ('" + u + "', -120, 'chat', 'r1-" + u + "')");
    Sql.exec(chat, "insert into credits_ledger (user_id, delta, reason) values ('" + u + "', 30, 'grant'), ('" + u + "', -5, 'chat')");
    assertThat(kept(chat, u)).isEqualTo(405).isEqualTo(Users.ledgerSum(chat, u));

    Sql.exec(chat, "update credits_ledger set delta = -100 where request_id = 'r1-" + u + "'"); // a correction
    assertThat(kept(chat, u)).isEqualTo(425).isEqualTo(Users.ledgerSum(chat, u));
    Sql.exec(chat, "update credits_ledger set user_id = '" + other + "' where request_id = 'r1-" + u + "'"); // a row moved to another user
    assertThat(kept(chat, u)).isEqualTo(525).isEqualTo(Users.ledgerSum(chat, u));
    assertThat(kept(chat, other)).isEqualTo(-30).isEqualTo(Users.ledgerSum(chat, other));
    Sql.exec(chat, "delete from credits_ledger where user_id = '" + u + "' and reason = 'grant' and request_id is null");
    assertThat(kept(chat, u)).isEqualTo(495).isEqualTo(Users.ledgerSum(chat, u));
    assertThat(Users.balance(chat, u)).as("the view over the ledger").isEqualTo(495);

    Sql.exec(chat, "delete from profiles where id = '" + other + "'"); // the ledger rows and the balance row go with the profile
    assertThat(Sql.count(chat, "select count(*) from credit_balances where user_id = '" + other + "'")).isZero();
  }

  @Test
  void concurrentSettlementsAndGrantsLeaveTheBalanceEqualToTheLedger() throws Exception {
    UUID u = Users.create(chat, "pro", 10_000);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        runs.add(pool.submit(() -> {
          try (Connection c = Sql.connect(chat);
              PreparedStatement reserve = c.prepareStatement("select outcome from credit_reserve(?, ?::uuid, '{\"pro\": 7}'::jsonb, 60)");
              PreparedStatement settle = c.prepareStatement("select outcome from credit_settle(?, ?::uuid, ?, 'grok', '{}'::jsonb, 'chat')");
              PreparedStatement grant = c.prepareStatement("insert into credits_ledger (user_id, delta, reason) values (?::uuid, 3, 'grant')")) {
            for (int i = 0; i < 40; i++) {
              String request = "c-" + thread + "-" + i + "-" + u;
              reserve.setString(1, request);
              reserve.setString(2, u.toString());
              reserve.executeQuery().close();
              settle.setString(1, request);
              settle.setString(2, u.toString());
              settle.setLong(3, 1 + (i % 7));
              settle.executeQuery().close();
              grant.setString(1, u.toString());
              grant.executeUpdate();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : runs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long charged = 8 * (5 * (1 + 2 + 3 + 4 + 5 + 6 + 7) + (1 + 2 + 3 + 4 + 5)); // each thread charges 1..7 five times, then 1..5
    assertThat(Users.ledgerSum(chat, u)).isEqualTo(10_000 - charged + 8 * 40 * 3);
    assertThat(kept(chat, u)).isEqualTo(Users.ledgerSum(chat, u));
    assertThat(Sql.count(chat, "select count(*) from credit_holds where user_id = '" + u + "'")).isZero();
  }

  @Test
  void theMigrationFillsTheBalancesFromTheLedgerAlreadyThere() {
    PgUrl db = TestDatabases.chatBefore("20260110000100");
    UUID rich = Users.create(db, "pro", 900);
    UUID poor = Users.create(db, "free", 0);
    UUID none = Users.create(db, "free", 0);
    Sql.exec(db, "insert into credits_ledger (user_id, delta, reason) values ('" + rich + "', -250, 'chat'), ('" + poor + "', 40, 'grant'), ('" + poor + "', -40, 'chat')");

    Migrations.apply(db, Migrations.Target.CHAT);

    assertThat(kept(db, rich)).isEqualTo(650);
    assertThat(kept(db, poor)).isZero();
    assertThat(Sql.count(db, "select count(*) from credit_balances where user_id = '" + none + "'")).as("no ledger row, no balance row: read as 0").isZero();
    Sql.exec(db, "insert into credits_ledger (user_id, delta, reason) values ('" + none + "', 15, 'grant')");
    assertThat(kept(db, none)).isEqualTo(15);
    assertThat(Sql.one(db, "select outcome || ' ' || available from credit_reserve('m-1', '" + rich + "', '{\"pro\": 50}'::jsonb, 60)")).isEqualTo("held 600");
  }
}
