package ai.zmarty.winrate;

import ai.zmarty.db.Columns;
import ai.zmarty.market.Pair;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The win-rate package's read side: the rollups of given pairs. */
public final class WinRateQueries {

  private final Pool trading;

  public WinRateQueries(Pool trading) {
    this.trading = trading;
  }

  /** One {@code win_rate} row as the API and the win-rate job show it. */
  static JsonObject toJson(Row r) {
    return new JsonObject()
        .put("symbol", r.getString("symbol"))
        .put("timeframe", r.getString("timeframe"))
        .put("window", r.getString("window_name"))
        .put("wins", r.getInteger("wins"))
        .put("losses", r.getInteger("losses"))
        .put("sample_size", r.getInteger("sample_size"))
        .put("win_rate", number(r, "win_rate"))
        .put("ci_low", number(r, "ci_low"))
        .put("ci_high", number(r, "ci_high"));
  }

  private static Double number(Row r, String column) {
    return r.getNumeric(column) == null ? null : r.getNumeric(column).doubleValue();
  }

  public Future<List<JsonObject>> forPairs(List<Pair> pairs) {
    if (pairs.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return trading.preparedQuery(WinRateSql.FOR_PAIRS).execute(Columns.of(pairs).text(Pair::symbol).text(Pair::timeframeLabel).tuple()).map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(toJson(r).put("computed_at", r.getOffsetDateTime("computed_at").toString()));
      }
      return out;
    });
  }
}
