package ai.zmarty.signal;

import ai.zmarty.db.Columns;
import ai.zmarty.market.Pair;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;

/** The signal package's read side for the API and the chat: latest signals of given pairs. */
public final class SignalQueries {

  private final Pool trading;

  public SignalQueries(Pool trading) {
    this.trading = trading;
  }

  /** Up to {@code perPair} newest signals of each pair, newest first within a pair. */
  public Future<List<JsonObject>> latest(List<Pair> pairs, int perPair) {
    if (pairs.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return trading.preparedQuery(SignalSql.LATEST_OF_PAIRS).execute(Columns.of(pairs).text(Pair::symbol).text(Pair::timeframeLabel).value(perPair).tuple()).map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(
            new JsonObject()
                .put("symbol", r.getString("symbol"))
                .put("timeframe", r.getString("timeframe"))
                .put("bar_time", r.getOffsetDateTime("bar_time").toString())
                .put("direction", r.getString("direction"))
                .put("score", r.getNumeric("score").doubleValue())
                .put("entry", r.getNumeric("entry").doubleValue())
                .put("stop", r.getNumeric("stop") == null ? null : r.getNumeric("stop").doubleValue())
                .put("targets", r.getValue("targets"))
                .put("reasons", r.getValue("reasons"))
                .put("created_at", r.getOffsetDateTime("created_at").toString()));
      }
      return out;
    });
  }
}
