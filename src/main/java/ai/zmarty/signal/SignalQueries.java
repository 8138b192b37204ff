package ai.zmarty.signal;

import ai.zmarty.market.Pair;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The signal package's read side for the API and the chat: latest signals of given pairs. */
public final class SignalQueries {
  static final String LATEST =
      """
      select s.symbol, s.timeframe, s.bar_time, s.direction, s.score, s.entry, s.stop, s.targets, s.reasons, s.created_at
      from unnest($1::text[], $2::text[]) as p(symbol, timeframe)
      cross join lateral (
        select * from signals x where x.symbol = p.symbol and x.timeframe = p.timeframe
        order by x.bar_time desc limit $3
      ) s
      order by s.symbol, s.timeframe, s.bar_time desc
      """;

  private final Pool trading;

  public SignalQueries(Pool trading) {
    this.trading = trading;
  }

  /** Up to {@code perPair} newest signals of each pair, newest first within a pair. */
  public Future<List<JsonObject>> latest(List<Pair> pairs, int perPair) {
    if (pairs.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String[] symbols = pairs.stream().map(Pair::symbol).toArray(String[]::new);
    String[] timeframes = pairs.stream().map(Pair::timeframeLabel).toArray(String[]::new);
    return trading.preparedQuery(LATEST).execute(Tuple.tuple().addArrayOfString(symbols).addArrayOfString(timeframes).addInteger(perPair)).map(rows -> {
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
