package ai.zmarty.ingest;

import ai.zmarty.bus.Addresses;
import ai.zmarty.ingest.Ingestion.Result;
import ai.zmarty.market.Pair;
import ai.zmarty.queue.PgmqClient;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/** What an ingest job reads from and writes to database B; writes as batches of parallel arrays ({@link IngestSql}). */
final class IngestStore {
  private final Pool pool;
  private final PgmqClient queues;

  IngestStore(Pool pool, PgmqClient queues) {
    this.pool = pool;
    this.queues = queues;
  }

  /** The pair's newest stored bar (time and close), or null when none is stored yet. */
  Future<Ingestion.Stored> lastStored(Pair pair) {
    return pool.preparedQuery(IngestSql.LAST_STORED).execute(Tuple.of(pair.symbol(), pair.timeframe().label())).map(rows -> {
      for (Row r : rows) {
        return new Ingestion.Stored(r.getOffsetDateTime("bar_time").toInstant(), r.getDouble("close"));
      }
      return null;
    });
  }

  /**
   * Upserts the result's indicators and risk_metric rows, replaces the symbol's liquidation
   * clusters (scaled to {@code openInterest} when known) and enqueues {@code compute_signals}, in
   * one transaction; completes with the queue message id.
   */
  Future<Long> write(Pair pair, Result result, Double openInterest) {
    List<LiquidationMap.Level> clusters = result.series().clusters(openInterest);
    String basis = openInterest == null ? "volume" : "open_interest";
    return pool.withTransaction(
        conn ->
            upsertIndicators(conn, pair, result.bars())
                .compose(v -> upsertRisks(conn, pair, result.bars()))
                .compose(v -> replaceClusters(conn, pair, clusters, basis))
                .compose(v -> queues.send(conn, Addresses.QUEUE_COMPUTE_SIGNALS, pair.toJson(), Duration.ZERO)));
  }

  private static Future<Void> replaceClusters(SqlClient conn, Pair pair, List<LiquidationMap.Level> clusters, String basis) {
    int n = clusters.size();
    String[] side = new String[n];
    Double[] price = new Double[n];
    Double[] notional = new Double[n];
    Double[] intensity = new Double[n];
    for (int i = 0; i < n; i++) {
      LiquidationMap.Level l = clusters.get(i);
      side[i] = l.side().name().toLowerCase(Locale.ROOT);
      price[i] = l.price();
      notional[i] = l.notional();
      intensity[i] = l.intensity();
    }
    return conn.preparedQuery(IngestSql.DELETE_LIQ_CLUSTERS).execute(Tuple.of(pair.symbol()))
        .compose(r -> conn.preparedQuery(IngestSql.INSERT_LIQ_CLUSTERS)
            .execute(Tuple.tuple().addString(pair.symbol()).addArrayOfString(side).addArrayOfDouble(price).addArrayOfDouble(notional).addArrayOfDouble(intensity).addString(basis)))
        .mapEmpty();
  }

  private static Future<Void> upsertIndicators(SqlClient conn, Pair pair, List<IngestedBar> bars) {
    int n = bars.size();
    OffsetDateTime[] times = new OffsetDateTime[n];
    Double[] closes = new Double[n];
    String[] values = new String[n];
    Boolean[] warm = new Boolean[n];
    String[] quality = new String[n];
    for (int i = 0; i < n; i++) {
      IndicatorBar b = bars.get(i).indicators();
      times[i] = utc(b.barTime());
      closes[i] = b.close();
      values[i] = b.values().toJson().encode();
      warm[i] = b.warm();
      quality[i] = Quality.toJson(bars.get(i).quality()).encode();
    }
    Tuple args = Tuple.tuple().addValue(pair.symbol()).addValue(pair.timeframe().label()).addValue(times).addValue(closes).addValue(values).addValue(warm).addValue(quality);
    return conn.preparedQuery(IngestSql.UPSERT_INDICATORS).execute(args).mapEmpty();
  }

  private static Future<Void> upsertRisks(SqlClient conn, Pair pair, List<IngestedBar> bars) {
    int n = bars.size();
    OffsetDateTime[] times = new OffsetDateTime[n];
    Double[] volatility = new Double[n];
    Double[] atrPct = new Double[n];
    Double[] drawdown = new Double[n];
    Double[] score = new Double[n];
    Double[] volatilityLong = new Double[n];
    Double[] belowDistance = new Double[n];
    Double[] belowIntensity = new Double[n];
    Double[] aboveDistance = new Double[n];
    Double[] aboveIntensity = new Double[n];
    for (int i = 0; i < n; i++) {
      RiskMetric r = bars.get(i).risk();
      LiquidationProximity l = bars.get(i).liquidation();
      times[i] = utc(r.barTime());
      volatility[i] = r.volatility();
      atrPct[i] = r.atrPct();
      drawdown[i] = r.drawdown();
      score[i] = r.riskScore();
      volatilityLong[i] = r.volatilityLong();
      belowDistance[i] = l.belowDistance();
      belowIntensity[i] = l.belowIntensity();
      aboveDistance[i] = l.aboveDistance();
      aboveIntensity[i] = l.aboveIntensity();
    }
    Tuple args =
        Tuple.tuple().addValue(pair.symbol()).addValue(pair.timeframe().label()).addValue(times).addValue(volatility).addValue(atrPct).addValue(drawdown).addValue(score)
            .addValue(volatilityLong).addValue(belowDistance).addValue(belowIntensity).addValue(aboveDistance).addValue(aboveIntensity);
    return conn.preparedQuery(IngestSql.UPSERT_RISK).execute(args).mapEmpty();
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
