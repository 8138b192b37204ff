package ai.zmarty.bench;

import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.Sql;

/**
 * A bench's database profile: PostgreSQL's own per-statement totals ({@code pg_stat_statements},
 * loaded when the bench runs with {@code EMBEDDED_PG_PRELOAD=pg_stat_statements}), the statements
 * that took the most server time, with calls per event.
 */
final class PgStatements {
  private PgStatements() {}

  static void reset(PgUrl db) {
    Sql.exec(db, "create extension if not exists pg_stat_statements");
    Sql.exec(db, "select pg_stat_statements_reset()");
  }

  static void print(PgUrl db, int events) {
    String sql = "select format('%10s ms %8s calls %6s/event %7s ms/call %7s blks/call %7s wal B/call %5s jit  %s', round(total_exec_time::numeric), calls, round(calls::numeric / " + Math.max(events, 1)
        + ", 2), round((total_exec_time / calls)::numeric, 3), round(shared_blks_hit::numeric / calls), round(wal_bytes / calls), jit_functions, left(regexp_replace(query, '\\s+', ' ', 'g'), 90))"
        + " from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database()) order by total_exec_time desc limit 25";
    System.out.println("--- database B, top statements by server time (pg_stat_statements) ---");
    Sql.column(db, sql).forEach(System.out::println);
  }
}
