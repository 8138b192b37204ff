package ai.zmarty.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.config.PgUrl;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.db.Pools;
import ai.zmarty.ingest.IngestVerticle;
import ai.zmarty.market.MarketDataProvider;
import ai.zmarty.market.MarketProviders;
import ai.zmarty.queue.PgmqClient;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.winrate.WinRateVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The nightly pipeline against a real PostgreSQL with the workers' real ingest and win-rate job
 * handlers on the bus: success, partial, failed, one run in the cluster, lease takeover.
 */
class NightlyPipelineTest {
  static final String USER = "00000000-0000-0000-0000-00000000bbbb";
  static Vertx vertx;
  static TestDatabases.Pair dbs;
  static ZmartyConfig config;
  static Pool chat;
  static Pool trading;
  static MarketDataProvider market;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
    dbs = TestDatabases.migrated();
    // no API node here: the API check is critical, which does not block the pipeline
    config = dbs.config(Map.of("HEALTH_API_URL", "http://127.0.0.1:1", "NIGHTLY_LEASE", "1s", "HEALTH_CHECK_TIMEOUT", "2s"));
    chat = Pools.create(vertx, dbs.chat(), 4, "n-chat");
    trading = Pools.create(vertx, dbs.trading(), 8, "n-trading");
    market = MarketProviders.create(vertx, config.market(), Clock.systemUTC());
    vertx.deployVerticle(new IngestVerticle(trading, market, new PgmqClient(trading), Clock.systemUTC())).await();
    vertx.deployVerticle(new WinRateVerticle(trading, market, Clock.systemUTC())).await();
  }

  @AfterAll
  static void tearDown() {
    vertx.close().await();
  }

  @BeforeEach
  void clean() throws Exception {
    Sql.exec(dbs.trading(), "truncate public.watchers, public.indicators, public.signals, public.win_rate, public.performance, public.pipeline_runs, public.pipeline_lease cascade");
  }

  private static SystemChecks checks(Pool a) {
    return new SystemChecks(vertx, a, trading, market, config, Clock.systemUTC());
  }

  private static NightlyPipeline pipeline(String node, Supplier<Future<SystemHealth>> health) {
    return new NightlyPipeline(vertx, trading, health, config.ops(), node);
  }

  private static NightlyPipeline pipeline(String node) {
    return pipeline(node, checks(chat)::run);
  }

  private static void watch(String symbol, String timeframe) {
    Sql.exec(dbs.trading(), "insert into public.watchers (user_id, symbol, timeframe) values ('" + USER + "', '" + symbol + "', '" + timeframe + "')");
  }

  private static List<String> steps(String runId) {
    return Sql.column(dbs.trading(), "select step || ':' || status from public.pipeline_steps where run_id = '" + runId + "' order by position");
  }

  @Test
  void aRunIngestsResolvesAndRecomputesThenRecordsSuccess() throws Exception {
    watch("BTC/USDT", "1h");
    // a long signal three days ago: its 12-bar horizon has passed, so the run resolves it
    Sql.exec(dbs.trading(), "insert into public.signals (symbol, timeframe, bar_time, direction, score, entry, stop, targets, horizon_bars)"
        + " values ('BTC/USDT', '1h', date_trunc('hour', now()) - interval '3 days', 'long', 0.8, 100, 1, '[1000000000]', 12)");
    JsonObject summary = pipeline("node-1").run("test").await(3, TimeUnit.MINUTES);

    assertThat(summary.getString("status")).isEqualTo("success");
    assertThat(steps(summary.getString("run_id"))).containsExactly("health:success", "ingest:success", "resolve:success", "win_rates:success", "summary:success");
    assertThat(Sql.column(dbs.trading(), "select count(*) from public.indicators where symbol = 'BTC/USDT' and timeframe = '1h'").get(0)).isNotEqualTo("0");
    assertThat(Sql.column(dbs.trading(), "select outcome from public.signals").get(0)).isIn("win", "loss");
    assertThat(Sql.column(dbs.trading(), "select sample_size from public.win_rate where symbol = 'BTC/USDT' and window_name = 'all'")).containsExactly("1");
    // one performance row per window; the signal of three days ago is in all three
    assertThat(Sql.column(dbs.trading(), "select window_name || ':' || trades from public.performance where symbol = 'BTC/USDT' order by window_name")).containsExactly("30d:1", "7d:1", "all:1");
    JsonObject resolve = summary.getJsonArray("steps").getJsonObject(2);
    assertThat(resolve.getJsonObject("detail").getLong("resolved")).isEqualTo(1L);
    assertThat(Sql.column(dbs.trading(), "select status || ' ' || (summary->>'status') || ' ' || (duration_ms >= 0) from public.pipeline_runs")).containsExactly("success success true");
    assertThat(Sql.column(dbs.trading(), "select count(*) from public.pipeline_lease")).containsExactly("0");
    assertThat(NightlyText.render(summary)).contains("✓ ingest").contains("1 pair(s)").contains(": success in ");
  }

  @Test
  void aFailedNonCriticalStepIsLoggedTheNextStepsRunAndTheRunIsPartial() throws Exception {
    watch("BTC/USDT", "1h");
    watch("BTC/USDT", "7m"); // not a timeframe: the ingest worker refuses the job
    JsonObject summary = pipeline("node-1").run("test").await(3, TimeUnit.MINUTES);
    assertThat(summary.getString("status")).isEqualTo("partial");
    assertThat(steps(summary.getString("run_id"))).containsExactly("health:success", "ingest:failed", "resolve:success", "win_rates:success", "summary:success");
    assertThat(summary.getString("error")).startsWith("ingest: 2 pair(s)").contains("BTC/USDT 7m");
    assertThat(Sql.column(dbs.trading(), "select count(*) > 0 from public.indicators where timeframe = '1h'")).containsExactly("t");
    assertThat(Sql.column(dbs.trading(), "select status from public.pipeline_runs")).containsExactly("partial");
  }

  @Test
  void aCriticalHealthCheckAbortsTheRunNamingIt() throws Exception {
    watch("BTC/USDT", "1h");
    NetServer silent = vertx.createNetServer().connectHandler(socket -> {}).listen(0, "127.0.0.1").await();
    Pool hung = Pools.create(vertx, PgUrl.local(silent.actualPort(), "zmarty_chat"), 1, "n-hung");
    try {
      JsonObject summary = pipeline("node-1", checks(hung)::run).run("test").await(1, TimeUnit.MINUTES);
      assertThat(summary.getString("status")).isEqualTo("failed");
      assertThat(summary.getString("error")).startsWith("health: aborted: critical database_a (no answer within 2000 ms)");
      assertThat(steps(summary.getString("run_id"))).containsExactly("health:failed", "ingest:skipped", "resolve:skipped", "win_rates:skipped", "summary:success");
      assertThat(Sql.column(dbs.trading(), "select count(*) from public.indicators")).containsExactly("0");
      assertThat(Sql.column(dbs.trading(), "select status from public.pipeline_runs")).containsExactly("failed");
    } finally {
      hung.close();
      silent.close();
    }
  }

  @Test
  void aSecondStartWhileARunGoesIsRefusedNamingTheRunningOneEvenPastTheFirstLeaseTerm() throws Exception {
    Promise<Void> gate = Promise.promise();
    SystemChecks checks = checks(chat);
    Future<JsonObject> first = pipeline("node-1", () -> gate.future().compose(v -> checks.run())).run("test");
    Eventually.await(Duration.ofSeconds(30), "node-1 holds the lease", () -> Sql.column(dbs.trading(), "select node from public.pipeline_lease").equals(List.of("node-1")));
    String runId = Sql.column(dbs.trading(), "select run_id from public.pipeline_lease").get(0);
    // the lease lasts 1 s: the running node renews it, so once it has been renewed well past its first term a start is still refused
    Eventually.await(Duration.ofSeconds(30), "the lease renewed past its first term", () -> Sql.column(dbs.trading(), "select expires_at > started_at + interval '2.5 seconds' from public.pipeline_lease").equals(List.of("t")));
    assertThatThrownBy(() -> pipeline("node-2").run("test").await(30, TimeUnit.SECONDS))
        .isInstanceOf(PipelineStore.Refused.class)
        .hasMessageContaining("a nightly run is already going: run " + runId + " on node node-1, started ");
    gate.complete();
    assertThat(first.await(3, TimeUnit.MINUTES).getString("status")).isEqualTo("success");
    assertThat(Sql.column(dbs.trading(), "select count(*) from public.pipeline_runs")).containsExactly("1");
  }

  @Test
  void twoStartsAtOnceRunOnce() throws Exception {
    Future<JsonObject> a = pipeline("node-a").run("test");
    Future<JsonObject> b = pipeline("node-b").run("test");
    Future.join(a, b).otherwiseEmpty().await(3, TimeUnit.MINUTES);
    assertThat(List.of(a.succeeded(), b.succeeded())).containsExactlyInAnyOrder(true, false);
    Throwable refused = a.failed() ? a.cause() : b.cause();
    String winner = a.succeeded() ? "node-a" : "node-b";
    assertThat(refused).isInstanceOf(PipelineStore.Refused.class).hasMessageContaining("on node " + winner);
    assertThat(Sql.column(dbs.trading(), "select node from public.pipeline_runs")).containsExactly(winner);
  }

  @Test
  void aRunWhoseNodeDiedIsTakenOverOnceItsLeaseExpires() throws Exception {
    String dead = "11111111-2222-3333-4444-555555555555";
    Sql.exec(dbs.trading(), "insert into public.pipeline_runs (run_id, node, trigger, status, started_at) values ('" + dead + "', 'dead-node', 'cron', 'running', now() - interval '10 minutes')");
    Sql.exec(dbs.trading(), "insert into public.pipeline_lease (pipeline, run_id, node, started_at, expires_at) values ('nightly', '" + dead + "', 'dead-node', now() - interval '10 minutes', now() + interval '1 hour')");
    assertThatThrownBy(() -> pipeline("node-1").run("test").await(30, TimeUnit.SECONDS)).isInstanceOf(PipelineStore.Refused.class).hasMessageContaining("on node dead-node");

    Sql.exec(dbs.trading(), "update public.pipeline_lease set expires_at = now() - interval '1 second'");
    JsonObject summary = pipeline("node-1").run("test").await(3, TimeUnit.MINUTES);
    assertThat(summary.getString("status")).isEqualTo("success");
    assertThat(Sql.column(dbs.trading(), "select status || ': ' || error from public.pipeline_runs where run_id = '" + dead + "'"))
        .containsExactly("failed: taken over by run " + summary.getString("run_id") + ": the lease of node dead-node expired");
  }
}
