package ai.zmarty.winrate;

import ai.zmarty.winrate.AnalyticsRequest.Leaderboard;
import ai.zmarty.winrate.AnalyticsRequest.PerformanceQuery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The read side of per-source analytics: the leaderboard and one symbol's performance, from the
 * figures the win-rate job stores in {@code performance} (any source kind). A source with fewer
 * than {@code minTrades} resolved trades in a window is shown with its count and no rank.
 */
public final class AnalyticsQueries {
  /** What names a source in the performance answer; the rest of a row are one window's figures. */
  private static final List<String> IDENTITY = List.of("source_kind", "source", "category", "asset", "strategy", "symbol", "timeframe");

  private final Pool trading;
  private final int minTrades;

  public AnalyticsQueries(Pool trading, int minTrades) {
    this.trading = trading;
    this.minTrades = minTrades;
  }

  /** {@code {metric, window, category, min_trades, limit, entries:[…]}}, entries by category, ranked ones first. */
  public Future<JsonObject> leaderboard(Leaderboard q) {
    Tuple args = Tuple.of(q.window(), q.metric().wire(), q.timeframe().orElse(null), q.asset().orElse(null), minTrades, q.limit());
    return trading.preparedQuery(WinRateSql.LEADERBOARD).execute(args).map(rows -> {
      JsonArray entries = new JsonArray();
      for (Row r : rows) {
        boolean ranked = r.getBoolean("ranked");
        JsonObject entry = new JsonObject().put("rank", ranked ? r.getLong("place") : null);
        entry.mergeIn(figures(r));
        if (!ranked) {
          entry.put("unranked_reason", r.getInteger("trades") < minTrades ? "too_few_trades" : "metric_undefined");
        }
        entries.add(entry);
      }
      return new JsonObject()
          .put("metric", q.metric().wire())
          .put("window", q.window())
          .put("category", q.category())
          .put("min_trades", minTrades)
          .put("limit", q.limit())
          .put("entries", entries);
    });
  }

  /** {@code {symbol, timeframe, min_trades, sources:[{source…, windows:{all, 30d, 7d}}]}}. */
  public Future<JsonObject> performance(PerformanceQuery q) {
    return trading.preparedQuery(WinRateSql.PERFORMANCE_OF).execute(Tuple.of(q.symbol(), q.timeframe().orElse(null))).map(rows -> {
      JsonArray sources = new JsonArray();
      JsonObject currentId = null;
      JsonObject windows = null;
      for (Row r : rows) {
        JsonObject f = figures(r);
        JsonObject id = new JsonObject();
        IDENTITY.forEach(key -> id.put(key, f.remove(key)));
        if (!id.equals(currentId)) {
          currentId = id;
          windows = new JsonObject();
          sources.add(id.copy().put("windows", windows));
        }
        windows.put((String) f.remove("window"), f.put("enough_trades", f.getInteger("trades") >= minTrades));
      }
      return new JsonObject().put("symbol", q.symbol()).put("timeframe", q.timeframe().orElse(null)).put("min_trades", minTrades).put("sources", sources);
    });
  }

  /** One performance row: its figures, the win rate and its Wilson 95 % interval (null without trades). */
  static JsonObject figures(Row r) {
    int trades = r.getInteger("trades");
    int wins = r.getInteger("wins");
    Wilson interval = trades == 0 ? null : Wilson.of(wins, trades);
    OffsetDateTime computed = r.getOffsetDateTime("computed_at");
    return new JsonObject()
        .put("source_kind", r.getString("source_kind"))
        .put("source", r.getString("source"))
        .put("window", r.getString("window_name"))
        .put("category", r.getString("category"))
        .put("asset", r.getString("asset"))
        .put("strategy", r.getString("strategy"))
        .put("symbol", r.getString("symbol"))
        .put("timeframe", r.getString("timeframe"))
        .put("trades", trades)
        .put("wins", wins)
        .put("losses", trades - wins)
        .put("win_rate", trades == 0 ? null : (double) wins / trades)
        .put("ci_low", interval == null ? null : interval.low())
        .put("ci_high", interval == null ? null : interval.high())
        .put("pnl", r.getDouble("pnl"))
        .put("profit_factor", r.getDouble("profit_factor"))
        .put("expectancy", r.getDouble("expectancy"))
        .put("sharpe", r.getDouble("sharpe"))
        .put("sortino", r.getDouble("sortino"))
        .put("omega", r.getDouble("omega"))
        .put("max_drawdown", r.getDouble("max_drawdown"))
        .put("computed_at", computed == null ? null : computed.toInstant().toString());
  }
}
