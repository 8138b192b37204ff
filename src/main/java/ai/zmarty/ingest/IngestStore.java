package ai.zmarty.ingest;

import ai.zmarty.bus.Addresses;
import ai.zmarty.db.Columns;
import ai.zmarty.ingest.Ingestion.Result;
import ai.zmarty.market.Pair;
import ai.zmarty.queue.PgmqClient;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
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
    Tuple args = Columns.of(clusters).value(pair.symbol()).text(l -> l.side().name().toLowerCase(Locale.ROOT))
        .float8(LiquidationMap.Level::price).float8(LiquidationMap.Level::notional).float8(LiquidationMap.Level::intensity).value(basis).tuple();
    return conn.preparedQuery(IngestSql.DELETE_LIQ_CLUSTERS).execute(Tuple.of(pair.symbol()))
        .compose(r -> conn.preparedQuery(IngestSql.INSERT_LIQ_CLUSTERS).execute(args))
        .mapEmpty();
  }

  private static Future<Void> upsertIndicators(SqlClient conn, Pair pair, List<IngestedBar> bars) {
    Tuple args = Columns.of(bars).value(pair.symbol()).value(pair.timeframeLabel())
        .timestamptz(b -> b.indicators().barTime())
        .float8(b -> b.indicators().close())
        .text(b -> b.indicators().values().toJson().encode())
        .bool(b -> b.indicators().warm())
        .text(b -> Quality.toJson(b.quality()).encode())
        .tuple();
    return conn.preparedQuery(IngestSql.UPSERT_INDICATORS).execute(args).mapEmpty();
  }

  private static Future<Void> upsertRisks(SqlClient conn, Pair pair, List<IngestedBar> bars) {
    Tuple args = Columns.of(bars).value(pair.symbol()).value(pair.timeframeLabel())
        .timestamptz(b -> b.risk().barTime())
        .float8(b -> b.risk().volatility())
        .float8(b -> b.risk().atrPct())
        .float8(b -> b.risk().drawdown())
        .float8(b -> b.risk().riskScore())
        .float8(b -> b.risk().volatilityLong())
        .float8(b -> b.liquidation().belowDistance())
        .float8(b -> b.liquidation().belowIntensity())
        .float8(b -> b.liquidation().aboveDistance())
        .float8(b -> b.liquidation().aboveIntensity())
        .tuple();
    return conn.preparedQuery(IngestSql.UPSERT_RISK).execute(args).mapEmpty();
  }
}
