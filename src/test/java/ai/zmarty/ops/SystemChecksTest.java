package ai.zmarty.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.PgUrl;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.db.Pools;
import ai.zmarty.market.MarketProviders;
import ai.zmarty.ops.SystemHealth.Check;
import ai.zmarty.testing.ApiFixture;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The seven checks against a real PostgreSQL, a real API node and real sockets. */
class SystemChecksTest {
  static final String USER = "00000000-0000-0000-0000-00000000aaaa";
  @RegisterExtension static final ApiFixture fixture = new ApiFixture();

  @BeforeEach
  void clean() {
    Sql.exec(fixture.dbs().trading(), "truncate public.watchers, public.indicators, public.signals, public.win_rate cascade");
  }

  private SystemHealth run(Map<String, String> env) throws Exception {
    return run(env, fixture.dbs().chat(), fixture.dbs().trading());
  }

  private SystemHealth run(Map<String, String> env, PgUrl chat, PgUrl trading) throws Exception {
    Map<String, String> all = new HashMap<>(Map.of("HEALTH_API_URL", "http://127.0.0.1:" + fixture.api().port(), "HEALTH_CHECK_TIMEOUT", "2s"));
    all.putAll(env);
    ZmartyConfig config = fixture.dbs().config(all);
    Pool a = Pools.create(fixture.vertx(), chat, 2, "t-chat");
    Pool b = Pools.create(fixture.vertx(), trading, 2, "t-trading");
    try {
      return new SystemChecks(fixture.vertx(), a, b, MarketProviders.create(fixture.vertx(), config.market(), Clock.systemUTC()), config, Clock.systemUTC()).run().await(30, TimeUnit.SECONDS);
    } finally {
      a.close();
      b.close();
    }
  }

  private static Check check(SystemHealth h, String name) {
    return h.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  private static void watch(String symbol, String timeframe) {
    Sql.exec(fixture.dbs().trading(), "insert into public.watchers (user_id, symbol, timeframe) values ('" + USER + "', '" + symbol + "', '" + timeframe + "')");
  }

  private static void bar(String symbol, String timeframe, String ago) {
    Sql.exec(fixture.dbs().trading(), "insert into public.indicators (symbol, timeframe, bar_time, close, values) values ('" + symbol + "', '" + timeframe + "', date_trunc('hour', now()) - interval '" + ago + "', 100, '{}')");
  }

  @Test
  void everyCheckIsHealthyOnAMigratedSystemWithCurrentData() throws Exception {
    watch("BTC/USDT", "1h");
    bar("BTC/USDT", "1h", "1 hour");
    SystemHealth h = run(Map.of());
    assertThat(h.checks()).extracting(Check::name).containsExactly("database_a", "database_b", "schema", "market_data", "freshness", "integrity", "api");
    assertThat(h.checks()).allSatisfy(c -> assertThat(c.status()).as(c.name() + ": " + c.message()).isEqualTo(Status.HEALTHY));
    assertThat(check(h, "database_a").details().getString("server_version")).isNotBlank();
    assertThat(check(h, "schema").details().getJsonObject("b").getString("version")).isEqualTo(ai.zmarty.db.MigrationFiles.newest(ai.zmarty.db.Migrations.Target.TRADING));
    assertThat(h.exitCode()).isZero();
    assertThat(h.elapsedMs()).as("a healthy system answers under 1 s").isLessThan(1_000);
  }

  @Test
  void freshnessIsWarningPastTwoBarsAndCriticalPastSixNamingTheStalest() throws Exception {
    watch("BTC/USDT", "1h");
    watch("ETH/USDT", "1h");
    bar("BTC/USDT", "1h", "1 hour");
    bar("ETH/USDT", "1h", "5 hours");
    Check warn = check(run(Map.of()), "freshness");
    assertThat(warn.status()).isEqualTo(Status.WARNING);
    assertThat(warn.message()).contains("ETH/USDT 1h").doesNotContain("BTC/USDT");

    watch("SOL/USDT", "1h");
    bar("SOL/USDT", "1h", "12 hours");
    SystemHealth h = run(Map.of());
    assertThat(check(h, "freshness").status()).isEqualTo(Status.CRITICAL);
    assertThat(check(h, "freshness").message()).startsWith("2 of 3 pair(s) behind: SOL/USDT 1h");
    assertThat(check(h, "freshness").details().getJsonArray("stalest").getJsonObject(0).getString("symbol")).isEqualTo("SOL/USDT");
    assertThat(h.status()).isEqualTo(Status.CRITICAL);
    assertThat(h.exitCode()).isEqualTo(1);

    // thresholds are settings: with 20 bars allowed before a warning, the same data is healthy
    assertThat(check(run(Map.of("HEALTH_FRESH_WARN_BARS", "20", "HEALTH_FRESH_CRITICAL_BARS", "30")), "freshness").status()).isEqualTo(Status.HEALTHY);
  }

  @Test
  void integrityIsCriticalWhenASampleSizeDisagreesAndWarningWhenAPairPastItsHorizonHasNoWinRate() throws Exception {
    Sql.exec(fixture.dbs().trading(), "insert into public.signals (symbol, timeframe, bar_time, direction, score, entry, horizon_bars, outcome, resolved_at, exit_price, exit_reason)"
        + " values ('BTC/USDT', '1h', now() - interval '3 days', 'long', 0.8, 100, 12, 'win', now() - interval '2 days', 110, 'target'),"
        + " ('BTC/USDT', '1h', now() - interval '2 days', 'short', 0.8, 100, 12, 'loss', now() - interval '1 day', 105, 'stop')");
    Sql.exec(fixture.dbs().trading(), "insert into public.win_rate (symbol, timeframe, window_name, wins, losses, sample_size) values ('BTC/USDT', '1h', 'all', 1, 1, 2)");
    assertThat(check(run(Map.of()), "integrity").status()).isEqualTo(Status.HEALTHY);

    Sql.exec(fixture.dbs().trading(), "insert into public.signals (symbol, timeframe, bar_time, direction, score, entry, horizon_bars) values ('ETH/USDT', '1h', now() - interval '2 days', 'long', 0.7, 50, 12)");
    Check missing = check(run(Map.of()), "integrity");
    assertThat(missing.status()).isEqualTo(Status.WARNING);
    assertThat(missing.message()).contains("ETH/USDT 1h");
    // fewer signals than the configured minimum: not expected to have a win rate yet
    assertThat(check(run(Map.of("HEALTH_INTEGRITY_MIN_SIGNALS", "2")), "integrity").status()).isEqualTo(Status.HEALTHY);

    Sql.exec(fixture.dbs().trading(), "update public.win_rate set sample_size = 3 where symbol = 'BTC/USDT'");
    Check mismatch = check(run(Map.of()), "integrity");
    assertThat(mismatch.status()).isEqualTo(Status.CRITICAL);
    assertThat(mismatch.message()).contains("BTC/USDT 1h (win_rate 3, resolved 2)");
  }

  @Test
  void schemaIsCriticalOnDatabasesThatWereNeverMigrated() throws Exception {
    TestDatabases.Pair bare = TestDatabases.empty();
    SystemHealth h = run(Map.of(), bare.chat(), bare.trading());
    assertThat(check(h, "database_a").status()).isEqualTo(Status.HEALTHY);
    Check schema = check(h, "schema");
    assertThat(schema.status()).isEqualTo(Status.CRITICAL);
    assertThat(schema.message()).contains("A at none").contains("B lacks").contains("signals");
  }

  @Test
  void anUnreachableExchangeIsCriticalAndTheOfflineMarketHealthy() throws Exception {
    assertThat(check(run(Map.of()), "market_data").message()).contains("simulated");
    Check binance = check(run(Map.of("MARKET_PROVIDER", "binance", "BINANCE_BASE_URL", "http://127.0.0.1:1")), "market_data");
    assertThat(binance.status()).isEqualTo(Status.CRITICAL);
    assertThat(binance.message()).startsWith("binance unreachable");
  }

  @Test
  void theApiCheckIsCriticalWhenNoNodeAnswers() throws Exception {
    Check down = check(run(Map.of("HEALTH_API_URL", "http://127.0.0.1:1")), "api");
    assertThat(down.status()).isEqualTo(Status.CRITICAL);
    assertThat(down.message()).contains("127.0.0.1:1/healthz");
  }

  @Test
  void aDatabaseThatAcceptsAndNeverAnswersIsCriticalWithinItsTimeLimit() throws Exception {
    NetServer silent = fixture.vertx().createNetServer().connectHandler(socket -> {}).listen(0, "127.0.0.1").await();
    try {
      PgUrl hung = PgUrl.local(silent.actualPort(), "zmarty_chat");
      long t0 = System.nanoTime();
      SystemHealth h = run(Map.of("HEALTH_CHECK_TIMEOUT", "2s"), hung, fixture.dbs().trading());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      Check a = check(h, "database_a");
      assertThat(a.status()).isEqualTo(Status.CRITICAL);
      assertThat(a.message()).isEqualTo("no answer within 2000 ms");
      assertThat(check(h, "database_b").status()).isEqualTo(Status.HEALTHY);
      assertThat(check(h, "schema").status()).isEqualTo(Status.CRITICAL);
      assertThat(ms).as("bounded by the per-check limit, not the hung server").isLessThan(10_000);
    } finally {
      silent.close();
    }
  }

  @Test
  void theTableIsPlainWithoutColourAndMarksEachCheck() throws Exception {
    watch("BTC/USDT", "1h");
    bar("BTC/USDT", "1h", "12 hours");
    String table = HealthTable.render(run(Map.of()), false);
    assertThat(table).doesNotContain("\u001b[");
    assertThat(table).containsPattern("(?m)^✓  database_a +healthy ");
    assertThat(table).containsPattern("(?m)^✗  freshness +critical ");
    assertThat(table).contains("overall: ✗ critical (7 checks in ");
    assertThat(HealthTable.render(run(Map.of()), true)).contains("\u001b[31m✗  freshness");
  }
}
