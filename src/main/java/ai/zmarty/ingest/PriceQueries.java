package ai.zmarty.ingest;

import ai.zmarty.market.Pair;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** The ingest package's read side for charts: a pair's recent closes from the indicator bars. */
public final class PriceQueries {
  private final Pool trading;

  public PriceQueries(Pool trading) {
    this.trading = trading;
  }

  /**
   * {@code {symbol, timeframe, bars: [{bar_time, close}]}}, the newest {@code limit} ingested bars
   * oldest first; no bars before the pair's first ingest.
   */
  public Future<JsonObject> closes(Pair pair, int limit) {
    return trading.preparedQuery(IngestSql.CLOSES).execute(Tuple.of(pair.symbol(), pair.timeframeLabel(), limit)).map(rows -> {
      JsonArray bars = new JsonArray();
      for (Row r : rows) {
        bars.add(new JsonObject().put("bar_time", r.getOffsetDateTime("bar_time").toString()).put("close", r.getDouble("close")));
      }
      return new JsonObject().put("symbol", pair.symbol()).put("timeframe", pair.timeframeLabel()).put("bars", bars);
    });
  }
}
