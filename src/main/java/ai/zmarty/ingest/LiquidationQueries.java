package ai.zmarty.ingest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** The ingest package's read side for the API: a symbol's latest estimated liquidation clusters. */
public final class LiquidationQueries {

  /** The outside sources the issue names; neither publishes API documentation, so neither has an adapter. */
  public static final java.util.Set<String> UNCONFIGURED_SOURCES = java.util.Set.of("cryptometer", "kingfisher");

  private final Pool trading;

  public LiquidationQueries(Pool trading) {
    this.trading = trading;
  }

  /**
   * {@code {symbol, source: "estimate", basis, updated_at, clusters: [{side, price, notional,
   * intensity}]}}, strongest first; no clusters (and null basis and time) before the first ingest.
   */
  public Future<JsonObject> clusters(String symbol) {
    return trading.preparedQuery(IngestSql.LIQ_CLUSTERS).execute(Tuple.of(symbol)).map(rows -> {
      JsonArray clusters = new JsonArray();
      String basis = null;
      String updated = null;
      for (Row r : rows) {
        basis = r.getString("basis");
        updated = r.getOffsetDateTime("updated_at").toString();
        clusters.add(new JsonObject().put("side", r.getString("side")).put("price", r.getDouble("price")).put("notional", r.getDouble("notional")).put("intensity", r.getDouble("intensity")));
      }
      return new JsonObject().put("symbol", symbol).put("source", "estimate").put("basis", basis).put("updated_at", updated).put("clusters", clusters);
    });
  }
}
