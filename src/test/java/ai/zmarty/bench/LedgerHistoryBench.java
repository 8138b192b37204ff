package ai.zmarty.bench;

import ai.zmarty.config.PgUrl;
import ai.zmarty.db.Migrations;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.Users;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/**
 * What a chat's hold and settlement cost in database A as a user's ledger grows: {@code
 * credit_reserve} then {@code credit_settle}, timed from JDBC, for users with 0 to {@code maxRows}
 * earlier ledger rows, in two databases side by side: one migrated up to before
 * 20260110000100_credit_balances (the balance summed over the ledger at each call), one fully
 * (the balance read from the user's row in {@code credit_balances}). Each settlement adds a ledger
 * row, so a point's user ends with {@code pairs} more rows than it started with. Args: max history rows
 * (100,000), pairs timed per point (300). Run: {@code bench/ledger/run.sh}.
 */
public final class LedgerHistoryBench {
  private LedgerHistoryBench() {}

  public static void main(String[] args) throws Exception {
    int maxRows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    PgUrl old = TestDatabases.chatBefore("20260110000100");
    PgUrl now = TestDatabases.empty().chat();
    Migrations.apply(now, Migrations.Target.CHAT);
    System.out.printf(Locale.ROOT, "credit_reserve + credit_settle, one user, %d pairs per point; ms per pair from JDBC (p50 / p95)%n", pairs);
    System.out.printf(Locale.ROOT, "%14s | %24s | %24s | %8s%n", "ledger rows", "summed (before)", "kept row (now)", "p50 ratio");
    time(old, 0, pairs); // unreported: the JIT, the connections' first plans and both databases' caches warm up
    time(now, 0, pairs);
    for (int rows = 0; rows <= maxRows; rows = rows == 0 ? 1_000 : rows * 10) {
      double[] a = time(old, rows, pairs);
      double[] b = time(now, rows, pairs);
      System.out.printf(Locale.ROOT, "%14d | %11.3f / %10.3f | %11.3f / %10.3f | %7.2fx%n", rows, a[0], a[1], b[0], b[1], b[0] / a[0]);
    }
  }

  /** p50 and p95 ms of {@code pairs} reserve-and-settle pairs of a new user with {@code history} earlier ledger rows. */
  private static double[] time(PgUrl db, int history, int pairs) throws Exception {
    UUID u = Users.create(db, "pro", 1_000_000_000L);
    Sql.exec(db, "insert into credits_ledger (user_id, delta, reason) select '" + u + "', -1, 'chat' from generate_series(1, " + history + ")");
    // the history came in one statement: in the new schema its 'history' updates of the balance row left as many dead versions, which autovacuum clears in service
    Sql.exec(db, "vacuum analyze credits_ledger");
    if (Sql.count(db, "select count(*) from pg_tables where tablename = 'credit_balances'") > 0) {
      Sql.exec(db, "vacuum analyze credit_balances");
    }
    double[] ms = new double[pairs];
    try (Connection c = Sql.connect(db);
        PreparedStatement reserve = c.prepareStatement("select outcome from credit_reserve(?, ?::uuid, '{\"pro\": 10}'::jsonb, 60)");
        PreparedStatement settle = c.prepareStatement("select outcome from credit_settle(?, ?::uuid, 7, 'grok', '{}'::jsonb, 'chat')")) {
      for (int i = -50; i < pairs; i++) { // 50 unmeasured pairs first
        String request = "b-" + i + "-" + u;
        long t0 = System.nanoTime();
        reserve.setString(1, request);
        reserve.setString(2, u.toString());
        reserve.executeQuery().close();
        settle.setString(1, request);
        settle.setString(2, u.toString());
        settle.executeQuery().close();
        if (i >= 0) {
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
    }
    Arrays.sort(ms);
    return new double[] {ms[pairs / 2], ms[(int) (pairs * 0.95)]};
  }
}
