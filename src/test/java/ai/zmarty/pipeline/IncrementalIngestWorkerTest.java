package ai.zmarty.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.db.Pools;
import ai.zmarty.ingest.IndicatorValues;
import ai.zmarty.ingest.IngestVerticle;
import ai.zmarty.ingest.IngestedBar;
import ai.zmarty.ingest.SameValues;
import ai.zmarty.ingest.Ingestion;
import ai.zmarty.market.Candle;
import ai.zmarty.market.MarketDataProvider;
import ai.zmarty.market.SimulatedMarket;
import ai.zmarty.market.Timeframe;
import ai.zmarty.queue.Job;
import ai.zmarty.queue.PgmqClient;
import ai.zmarty.signal.DoublingGuard;
import ai.zmarty.signal.SignalVerticle;
import ai.zmarty.testing.MovableClock;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ingest worker keeps each pair's series and appends the new bars, job after job, over the
 * real event bus and database B, with a market clock the test moves forward; then every stored
 * row is compared with what a fresh rebuild — a node that has never seen the pair — computes for
 * the same bars. A second consumer on the same address plays a second node of the cluster: the
 * jobs it takes make the first one's kept series stale, which the store tells, and it rebuilds.
 */
@ExtendWith(VertxExtension.class)
class IncrementalIngestWorkerTest {
  static final Instant START = Instant.parse("2026-02-10T12:34:00Z");
  private static TestDatabases.Pair dbs;
  private Pool pool;
  private MovableClock clock;
  private SimulatedMarket market;
  private String ingestDeployment;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    pool = Pools.create(vertx, dbs.trading(), 4, "test");
    clock = new MovableClock(START);
    market = new SimulatedMarket(42, clock);
    ingestDeployment = vertx.deployVerticle(new IngestVerticle(pool, market, new PgmqClient(pool), clock)).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    pool.close().await(5, TimeUnit.SECONDS);
  }

  private static JsonObject ingest(Vertx vertx, String symbol) throws Exception {
    JsonObject payload = new JsonObject().put("symbol", symbol).put("timeframe", "1h");
    JsonObject job = new Job(Addresses.QUEUE_INGEST_INDICATORS, 1, 1, START.toString(), payload).toJson();
    return vertx.eventBus().<JsonObject>request(Addresses.JOB_INGEST_INDICATORS, job).await(30, TimeUnit.SECONDS).body();
  }

  @Test
  void aKeptSeriesAppendsEachJobsNewBarsAndStoresWhatAFreshRebuildStores(Vertx vertx) throws Exception {
    JsonObject first = ingest(vertx, "INC/USDT");
    assertThat(first.getString("mode")).isEqualTo("rebuild");
    assertThat(first.getString("rebuild_reason")).startsWith("cold");
    assertThat(first.getInteger("bars_loaded")).isEqualTo(Ingestion.HISTORY_BARS);
    assertThat(first.getInteger("bars_written")).isEqualTo(120);
    assertThat(first.getInteger("warm_bars")).isEqualTo(120);

    int written = 120;
    for (int job = 0; job < 150; job++) {
      int bars = 1 + job % 3;
      clock.now = clock.now.plus(Duration.ofHours(bars));
      JsonObject reply = ingest(vertx, "INC/USDT");
      assertThat(reply.getString("mode")).as("job %d", job).isEqualTo("append");
      assertThat(reply.getValue("rebuild_reason")).isNull();
      assertThat(reply.getInteger("bars_loaded")).isEqualTo(bars);
      assertThat(reply.getInteger("bars_written")).isEqualTo(bars);
      written += bars;
    }
    // nothing new: the series stays as it is and nothing is written
    JsonObject idle = ingest(vertx, "INC/USDT");
    assertThat(idle.getString("mode")).isEqualTo("append");
    assertThat(idle.getInteger("bars_written")).isZero();

    assertThat(storedEqualsFreshRebuilds("INC/USDT")).isEqualTo(written);
  }

  @Test
  void whenAnotherNodeIngestedThePairTheStoreSaysSoAndTheKeptSeriesIsRebuilt(Vertx vertx) throws Exception {
    // a second consumer of jobs.ingest_indicators with its own kept series: the bus hands jobs to both
    vertx.deployVerticle(new IngestVerticle(pool, market, new PgmqClient(pool), clock)).await(10, TimeUnit.SECONDS);
    List<String> modes = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    int written = 0;
    for (int job = 0; job < 12; job++) {
      clock.now = clock.now.plus(Duration.ofHours(1));
      JsonObject reply = ingest(vertx, "TWO/USDT");
      modes.add(reply.getString("mode"));
      reasons.add(reply.getString("rebuild_reason"));
      written += reply.getInteger("bars_written");
    }
    assertThat(modes).contains("rebuild");
    assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("the newest stored bar").contains("is not the kept newest"));
    assertThat(written).isEqualTo(120 + 11);
    assertThat(storedEqualsFreshRebuilds("TWO/USDT")).isEqualTo(written);
  }

  /** The simulated market with a hole at {@code hole} and a feed {@code lag} bars behind. */
  static final class FlawedMarket implements MarketDataProvider {
    private final SimulatedMarket inner;
    private final Instant hole;
    private final int lag;

    FlawedMarket(SimulatedMarket inner, Instant hole, int lag) {
      this.inner = inner;
      this.hole = hole;
      this.lag = lag;
    }

    @Override
    public Future<List<Candle>> candles(String symbol, String timeframe, Instant from, Instant to) {
      return inner.candles(symbol, timeframe, from, to).map(bars -> {
        List<Candle> out = bars.stream().filter(c -> !c.openTime().equals(hole)).toList();
        return out.subList(0, Math.max(0, out.size() - lag));
      });
    }

    @Override
    public Future<Boolean> lists(String symbol, String timeframe) {
      return inner.lists(symbol, timeframe);
    }
  }

  @Test
  void qualityFlagsAreStoredWithTheirBarAndTheSignalCarriesThem(Vertx vertx) throws Exception {
    Instant until = Timeframe.H1.closedUntil(START);
    Instant hole = until.minus(Duration.ofHours(10));
    vertx.undeploy(ingestDeployment).await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new IngestVerticle(pool, new FlawedMarket(market, hole, 2), new PgmqClient(pool), clock)).await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new SignalVerticle(pool, new PgmqClient(pool), DoublingGuard.of(dbs.config().guardrails()))).await(10, TimeUnit.SECONDS);

    JsonObject reply = ingest(vertx, "BAD/USDT");

    assertThat(reply.getJsonArray("quality").stream().map(f -> ((JsonObject) f).getString("kind")).toList()).containsExactlyInAnyOrder("missing", "stale");
    Instant newest = until.minus(Duration.ofHours(3)); // two bars behind
    assertThat(reply.getString("last_bar")).isEqualTo(newest.toString());

    assertThat(Sql.one(dbs.trading(), "select quality->0->>'kind' from indicators where symbol = 'BAD/USDT' and bar_time = '" + hole.plus(Duration.ofHours(1)) + "'")).isEqualTo("missing");
    assertThat(Sql.one(dbs.trading(), "select quality->0->>'detail' from indicators where symbol = 'BAD/USDT' and bar_time = '" + newest + "'")).contains("2 bar(s) behind");
    assertThat(Sql.count(dbs.trading(), "select count(*) from indicators where symbol = 'BAD/USDT' and quality <> '[]'::jsonb")).isEqualTo(2);

    vertx.eventBus().request(Addresses.JOB_COMPUTE_SIGNALS, new Job(Addresses.QUEUE_COMPUTE_SIGNALS, 1, 1, START.toString(), new JsonObject().put("symbol", "BAD/USDT").put("timeframe", "1h")).toJson())
        .await(30, TimeUnit.SECONDS);
    assertThat(Sql.one(dbs.trading(), "select direction || ' ' || (select r->>'push' from jsonb_array_elements(reasons) r where r->>'input' = 'quality') from signals where symbol = 'BAD/USDT' and bar_time = '" + newest + "'"))
        .isEqualTo("flat flat");
    assertThat(Sql.one(dbs.trading(), "select (select r->>'push' from jsonb_array_elements(reasons) r where r->>'input' = 'quality') from signals where symbol = 'BAD/USDT' and bar_time = '" + hole.plus(Duration.ofHours(1)) + "'"))
        .isEqualTo("weaker");
  }

  /** The simulated market with an open interest, or one whose open-interest request fails. */
  static final class OpenInterestMarket implements MarketDataProvider {
    private final SimulatedMarket inner;
    private final Future<Double> openInterest;

    OpenInterestMarket(SimulatedMarket inner, Future<Double> openInterest) {
      this.inner = inner;
      this.openInterest = openInterest;
    }

    @Override
    public Future<List<Candle>> candles(String symbol, String timeframe, Instant from, Instant to) {
      return inner.candles(symbol, timeframe, from, to);
    }

    @Override
    public Future<Double> openInterestNotional(String symbol) {
      return openInterest;
    }

    @Override
    public Future<Boolean> lists(String symbol, String timeframe) {
      return inner.lists(symbol, timeframe);
    }
  }

  @Test
  void withAnOpenInterestTheClustersNotionalIsScaledToItAndWithoutItTheProxyStays(Vertx vertx) throws Exception {
    vertx.undeploy(ingestDeployment).await(10, TimeUnit.SECONDS);
    String oi = vertx.deployVerticle(new IngestVerticle(pool, new OpenInterestMarket(market, Future.succeededFuture(2.5e9)), new PgmqClient(pool), clock)).await(10, TimeUnit.SECONDS);

    JsonObject reply = ingest(vertx, "OI/USDT");

    assertThat(reply.getDouble("open_interest")).isEqualTo(2.5e9);
    assertThat(Sql.one(dbs.trading(), "select string_agg(distinct basis, ',') from liq_clusters where symbol = 'OI/USDT'")).isEqualTo("open_interest");
    double held = Double.parseDouble(Sql.one(dbs.trading(), "select sum(notional) / 2 from liq_clusters where symbol = 'OI/USDT'"));
    assertThat(held).isBetween(2.0e9, 2.5e9 + 1);

    // the open-interest request fails: the job still runs, on the traded-notional proxy
    vertx.undeploy(oi).await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new IngestVerticle(pool, new OpenInterestMarket(market, Future.failedFuture(new IllegalStateException("429"))), new PgmqClient(pool), clock)).await(10, TimeUnit.SECONDS);
    clock.now = clock.now.plus(Duration.ofHours(1));
    JsonObject fallback = ingest(vertx, "OI/USDT");
    assertThat(fallback.getInteger("bars_written")).isEqualTo(1);
    assertThat(fallback.getValue("open_interest")).isNull();
    assertThat(Sql.one(dbs.trading(), "select string_agg(distinct basis, ',') from liq_clusters where symbol = 'OI/USDT'")).isEqualTo("volume");
  }

  /**
   * Compares every stored row of {@code symbol} with a cold rebuild that writes it: the last
   * {@value Ingestion#HISTORY_BARS} bars up to the end of each block of {@value
   * Ingestion#BACKFILL_BARS}. Returns how many rows were compared.
   */
  private int storedEqualsFreshRebuilds(String symbol) throws Exception {
    Map<Instant, Row> indicators = rows("select bar_time, close::float8 as close, values, warm from indicators where symbol = $1 and timeframe = '1h'", symbol);
    Map<Instant, Row> risks = rows(
        """
        select bar_time, volatility::float8 as volatility, volatility_long::float8 as volatility_long, atr_pct::float8 as atr_pct,
               drawdown::float8 as drawdown, risk_score::float8 as risk_score,
               liq_below_distance::float8 as below_distance, liq_below_intensity::float8 as below_intensity,
               liq_above_distance::float8 as above_distance, liq_above_intensity::float8 as above_intensity
        from risk_metric where symbol = $1 and timeframe = '1h'
        """, symbol);
    assertThat(risks.keySet()).isEqualTo(indicators.keySet());
    Instant newest = indicators.keySet().stream().max(Instant::compareTo).orElseThrow();
    Instant oldest = indicators.keySet().stream().min(Instant::compareTo).orElseThrow();
    int compared = 0;
    for (Instant end = newest.plus(Duration.ofHours(1)); end.isAfter(oldest); end = end.minus(Duration.ofHours(Ingestion.BACKFILL_BARS))) {
      List<Candle> cold = market.bars(symbol, Timeframe.H1, end.minus(Duration.ofHours(Ingestion.HISTORY_BARS)), end);
      for (IngestedBar fresh : Ingestion.rebuild(cold, Timeframe.H1, null, "cold").bars()) {
        Row row = indicators.get(fresh.barTime());
        if (row == null) {
          continue;
        }
        assertThat(row.getDouble("close")).isCloseTo(fresh.indicators().close(), org.assertj.core.api.Assertions.withinPercentage(1e-10));
        assertThat(row.getBoolean("warm")).isEqualTo(fresh.indicators().warm());
        SameValues.assertSame(fresh.barTime(), IndicatorValues.fromJson((JsonObject) row.getValue("values")), fresh.indicators().values());
        Row risk = risks.get(fresh.barTime());
        agree(fresh.barTime(), "volatility", risk.getDouble("volatility"), fresh.risk().volatility());
        agree(fresh.barTime(), "volatility_long", risk.getDouble("volatility_long"), fresh.risk().volatilityLong());
        agree(fresh.barTime(), "atr_pct", risk.getDouble("atr_pct"), fresh.risk().atrPct());
        agree(fresh.barTime(), "drawdown", risk.getDouble("drawdown"), fresh.risk().drawdown());
        agree(fresh.barTime(), "risk_score", risk.getDouble("risk_score"), fresh.risk().riskScore());
        agree(fresh.barTime(), "liq_below_distance", risk.getDouble("below_distance"), fresh.liquidation().belowDistance());
        agree(fresh.barTime(), "liq_below_intensity", risk.getDouble("below_intensity"), fresh.liquidation().belowIntensity());
        agree(fresh.barTime(), "liq_above_distance", risk.getDouble("above_distance"), fresh.liquidation().aboveDistance());
        agree(fresh.barTime(), "liq_above_intensity", risk.getDouble("above_intensity"), fresh.liquidation().aboveIntensity());
        compared++;
      }
    }
    return compared;
  }

  /** numeric keeps 15 significant digits of a float8: equal to those. */
  private static void agree(Instant at, String column, Double stored, Double fresh) {
    if (stored == null || fresh == null) {
      assertThat(stored).as("%s at %s", column, at).isEqualTo(fresh);
      return;
    }
    assertThat(Math.abs(stored - fresh)).as("%s at %s: stored %s, rebuilt %s", column, at, stored, fresh).isLessThanOrEqualTo(1e-12 * Math.max(1e-300, Math.abs(fresh)) + 1e-300);
  }

  private Map<Instant, Row> rows(String sql, String symbol) throws Exception {
    Map<Instant, Row> out = new HashMap<>();
    for (Row r : pool.preparedQuery(sql).execute(Tuple.of(symbol)).await(10, TimeUnit.SECONDS)) {
      out.put(r.getOffsetDateTime("bar_time").toInstant(), r);
    }
    return out;
  }
}
