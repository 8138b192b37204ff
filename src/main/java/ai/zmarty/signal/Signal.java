package ai.zmarty.signal;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.List;

/**
 * A stored signal, and the body of {@code events.signal.created}:
 *
 * <pre>{@code
 * {"id": 17, "symbol": "BTC/USDT", "timeframe": "1h", "bar_time": "2026-01-15T09:00:00Z",
 *  "strategy": "composite", "direction": "long", "score": 0.71, "entry": 61234.5, "stop": 60811.2,
 *  "targets": [61657.8, 62081.1, 62504.4], "horizon_bars": 12, "created_at": "…",
 *  "reasons": [{"input": "ema_stack", "detail": "ema 9 > 21 > 50", "push": "long", "weight": 0.35, "contribution": 0.35}, …]}
 * }</pre>
 *
 * {@code stop} is null and {@code targets} empty when the direction is flat.
 */
public record Signal(
    long id,
    String symbol,
    String timeframe,
    Instant barTime,
    String strategy,
    Direction direction,
    double score,
    double entry,
    Double stop,
    JsonArray targets,
    JsonArray reasons,
    int horizonBars,
    Instant createdAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("symbol", symbol)
        .put("timeframe", timeframe)
        .put("bar_time", barTime.toString())
        .put("strategy", strategy)
        .put("direction", direction.wire())
        .put("score", score)
        .put("entry", entry)
        .put("stop", stop)
        .put("targets", targets)
        .put("reasons", reasons)
        .put("horizon_bars", horizonBars)
        .put("created_at", createdAt.toString());
  }

  /** A row of {@link SignalSql#INSERT_NEW}'s {@code returning} list. */
  static Signal fromRow(Row r) {
    return new Signal(
        r.getLong("id"),
        r.getString("symbol"),
        r.getString("timeframe"),
        r.getOffsetDateTime("bar_time").toInstant(),
        r.getString("strategy"),
        Direction.fromWire(r.getString("direction")),
        r.getDouble("score"),
        r.getDouble("entry"),
        r.getDouble("stop"),
        (JsonArray) r.getValue("targets"),
        (JsonArray) r.getValue("reasons"),
        r.getInteger("horizon_bars"),
        r.getOffsetDateTime("created_at").toInstant());
  }

  static JsonArray targetsJson(List<Double> targets) {
    return new JsonArray(List.copyOf(targets));
  }

  static JsonArray reasonsJson(List<Reason> reasons) {
    JsonArray out = new JsonArray();
    for (Reason r : reasons) {
      out.add(new JsonObject().put("input", r.input()).put("detail", r.detail()).put("push", r.push()).put("weight", r.weight()).put("contribution", r.contribution()));
    }
    return out;
  }
}
