package ai.zmarty.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

  /** Everything a migration can create, as one comparable text. */
  private static final String SCHEMA_FINGERPRINT =
      """
      select md5(string_agg(item, ',' order by item)) from (
        select 'table:' || table_schema || '.' || table_name || '.' || column_name || ':' || data_type as item
          from information_schema.columns where table_schema in ('public', 'auth', 'pgmq')
        union all select 'fn:' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname in ('public', 'auth', 'pgmq')
        union all select 'policy:' || tablename || '.' || policyname from pg_policies
        union all select 'index:' || indexname from pg_indexes where schemaname in ('public', 'pgmq')
      ) items
      """;

  private static long migrationFiles(String db) throws IOException {
    try (Stream<Path> files = Files.list(Path.of("supabase", db, "migrations"))) {
      return files.filter(p -> p.getFileName().toString().matches("\\d{14}_.+\\.sql")).count();
    }
  }

  @Test
  void applyOnAnEmptyServerThenAgainWithNoChange() throws Exception {
    TestDatabases.Pair dbs = TestDatabases.empty();

    var chat = Migrations.apply(dbs.chat(), Migrations.Target.CHAT);
    var trading = Migrations.apply(dbs.trading(), Migrations.Target.TRADING);
    assertThat(chat.applied()).isEqualTo(migrationFiles("chat")).isPositive();
    assertThat(trading.applied()).isEqualTo(migrationFiles("trading")).isPositive();

    String chatBefore = Sql.one(dbs.chat(), SCHEMA_FINGERPRINT);
    String tradingBefore = Sql.one(dbs.trading(), SCHEMA_FINGERPRINT);
    long historyRows = Sql.count(dbs.chat(), "select count(*) from " + Migrations.HISTORY_TABLE);

    assertThat(Migrations.apply(dbs.chat(), Migrations.Target.CHAT).applied()).isZero();
    assertThat(Migrations.apply(dbs.trading(), Migrations.Target.TRADING).applied()).isZero();
    assertThat(Sql.one(dbs.chat(), SCHEMA_FINGERPRINT)).isEqualTo(chatBefore);
    assertThat(Sql.one(dbs.trading(), SCHEMA_FINGERPRINT)).isEqualTo(tradingBefore);
    assertThat(Sql.count(dbs.chat(), "select count(*) from " + Migrations.HISTORY_TABLE)).isEqualTo(historyRows);
  }

  @Test
  void schemasHaveTheTablesLaterWorkReliesOn() {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    assertThat(Sql.column(dbs.chat(), "select table_name from information_schema.tables where table_schema = 'public'"))
        .contains("profiles", "user_symbols", "credits_ledger", "credit_balance");
    assertThat(Sql.column(dbs.trading(), "select table_name from information_schema.tables where table_schema = 'public'"))
        .contains("watchers", "indicators", "risk_metric", "liq_clusters", "signals", "win_rate");
    assertThat(Sql.column(dbs.trading(), "select queue_name from pgmq.list_queues()"))
        .contains("ingest_indicators", "compute_signals", "compute_winrate", "dead_letter");
    assertThat(Sql.column(dbs.chat(), "select relname from pg_class where relrowsecurity"))
        .contains("profiles", "user_symbols", "credits_ledger");
  }

  @Test
  void signalsAreUniquePerSymbolTimeframeAndBar() {
    PgUrl b = TestDatabases.migrated().trading();
    String insert = "insert into signals (symbol, timeframe, bar_time, direction, score, entry) values ('BTC/USDT', '1h', '2026-01-01T00:00Z', 'long', 0.7, 100)";
    Sql.exec(b, insert);
    assertThatThrownBy(() -> Sql.exec(b, insert)).hasMessageContaining("signals_symbol_timeframe_bar_key");
  }

  @Test
  void anAppliedFileThatWasEditedIsRefusedByName(@TempDir Path dir) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.empty();
    try (Stream<Path> files = Files.list(Path.of("supabase", "chat", "migrations"))) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    String location = "filesystem:" + dir.toAbsolutePath();
    Migrations.apply(dbs.chat(), Migrations.Target.CHAT, location);

    Path edited = dir.resolve("20260101000200_user_symbols.sql");
    Files.writeString(edited, "\n-- a later edit\ncomment on table public.user_symbols is 'edited';\n", StandardOpenOption.APPEND);

    assertThatThrownBy(() -> Migrations.apply(dbs.chat(), Migrations.Target.CHAT, location))
        .isInstanceOf(Migrations.MigrationException.class)
        .hasMessageContaining("20260101000200_user_symbols.sql")
        .hasMessageContaining("edited");
    assertThat(Sql.column(dbs.chat(), "select obj_description('public.user_symbols'::regclass)")).containsOnlyNulls();
  }
}
