package ai.zmarty.backtest;

import ai.zmarty.signal.Direction;
import ai.zmarty.winrate.Resolution.Resolved;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One backtested trade: a long or short entered at its signal bar's close, with the stop and first
 * target the resolution rule reads; {@code resolved} is null while the bars after it (inside the
 * period, without a gap) do not settle it, and then there is no return.
 */
public record Trade(Instant barTime, Direction direction, double entry, double stop, double target, int horizonBars, Resolved resolved, Double tradeReturn) {

  public boolean isResolved() {
    return resolved != null;
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("bar_time", barTime.toString())
            .put("direction", direction.wire())
            .put("entry", entry)
            .put("stop", stop)
            .put("target", target)
            .put("horizon_bars", horizonBars);
    if (resolved == null) {
      return json.put("outcome", null);
    }
    return json
        .put("outcome", resolved.outcome().name().toLowerCase(java.util.Locale.ROOT))
        .put("exit_reason", resolved.reason().name().toLowerCase(java.util.Locale.ROOT))
        .put("exit_price", resolved.exitPrice())
        .put("exit_time", resolved.decidedAt().toString())
        .put("return", tradeReturn);
  }
}
