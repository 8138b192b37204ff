package ai.zmarty.router;

import ai.zmarty.market.Pair;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The facts an answer may use: the user's pairs, their newest signals and their win rates. */
public record ChatContext(List<Pair> pairs, List<JsonObject> signals, List<JsonObject> winRates) {

  public List<JsonObject> signalsOf(Pair p) {
    return signals.stream().filter(s -> p.symbol().equals(s.getString("symbol")) && p.timeframeLabel().equals(s.getString("timeframe"))).toList();
  }

  public List<JsonObject> winRatesOf(Pair p) {
    return winRates.stream().filter(s -> p.symbol().equals(s.getString("symbol")) && p.timeframeLabel().equals(s.getString("timeframe"))).toList();
  }
}
