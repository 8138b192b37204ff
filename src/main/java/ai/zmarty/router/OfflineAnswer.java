package ai.zmarty.router;

import ai.zmarty.market.Pair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The offline analyst's answer: deterministic, built only from the user's signals and win rates,
 * and honest that no model wrote it.
 */
public final class OfflineAnswer {
  private OfflineAnswer() {}

  public static String compose(ChatContext context, String message) {
    StringBuilder sb = new StringBuilder("Offline analyst (no model provider is configured; this answer comes straight from your data). ");
    List<Pair> pairs = mentioned(context.pairs(), message);
    if (pairs.isEmpty()) {
      sb.append("You are not watching any symbols yet: add one with POST /symbols and ask again once its first signal is in. ");
    }
    for (Pair p : pairs) {
      sb.append(p.symbol()).append(" on ").append(p.timeframe()).append(": ");
      List<JsonObject> signals = context.signalsOf(p);
      if (signals.isEmpty()) {
        sb.append("no signal yet, the workers are still computing it. ");
      } else {
        JsonObject s = signals.get(0);
        sb.append(String.format(Locale.ROOT, "the latest signal is %s with score %.2f, entry %s", s.getString("direction").toUpperCase(Locale.ROOT), s.getDouble("score"), price(s.getValue("entry"))));
        if (s.getValue("stop") != null) {
          sb.append(", stop ").append(price(s.getValue("stop")));
        }
        if (s.getValue("targets") instanceof JsonArray targets && !targets.isEmpty()) {
          sb.append(", targets");
          for (int i = 0; i < targets.size(); i++) {
            sb.append(i == 0 ? " " : " / ").append(price(targets.getValue(i)));
          }
        }
        sb.append(" (bar ").append(s.getString("bar_time")).append("). ");
      }
      for (JsonObject w : context.winRatesOf(p)) {
        Object rate = w.getValue("win_rate");
        int n = w.getInteger("sample_size", 0);
        String window = switch (String.valueOf(w.getValue("window"))) {
          case "all" -> "all time";
          case "30d" -> "last 30 days";
          case "7d" -> "last 7 days";
          default -> String.valueOf(w.getValue("window"));
        };
        if (rate instanceof Number r && n > 0) {
          sb.append(String.format(Locale.ROOT, "Win rate (%s): %.1f%% over %d resolved signals. ", window, r.doubleValue() * 100, n));
        } else {
          sb.append("No resolved signals (").append(window).append(") yet, so no win rate. ");
        }
      }
    }
    sb.append("Not financial advice.");
    return sb.toString();
  }

  /** The pairs whose base asset the message names; all of them when it names none. */
  static List<Pair> mentioned(List<Pair> pairs, String message) {
    String upper = " " + message.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", " ") + " ";
    List<Pair> named = pairs.stream().filter(p -> upper.contains(" " + p.base() + " ") || upper.contains(" " + p.symbol().replace("/", "") + " ")).toList();
    return named.isEmpty() ? pairs : named;
  }

  private static String price(Object v) {
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return d >= 100 ? String.format(Locale.ROOT, "%,.2f", d) : String.format(Locale.ROOT, "%.4f", d);
    }
    return String.valueOf(v);
  }
}
