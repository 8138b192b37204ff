package ai.zmarty.router;

import ai.zmarty.watchlist.Pair;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** Builds the prompt: who Zmarty is, the user's market facts, then the question. */
public final class PromptBuilder {
  private PromptBuilder() {}

  public static Prompt build(ChatContext context, String message) {
    StringBuilder sb = new StringBuilder();
    sb.append("You are Zmarty, a crypto trading assistant. Answer from the signals and win rates below; ")
        .append("say when data is missing; never promise profits; this is not financial advice.\n");
    if (context.pairs().isEmpty()) {
      sb.append("The user watches no symbols yet.\n");
    }
    for (Pair p : context.pairs()) {
      sb.append("\n").append(p.symbol()).append(' ').append(p.timeframe()).append(":\n");
      var signals = context.signalsOf(p);
      if (signals.isEmpty()) {
        sb.append("  no signal yet\n");
      } else {
        JsonObject s = signals.get(0);
        sb.append(String.format(Locale.ROOT, "  latest signal %s score %.2f entry %s stop %s targets %s at %s; reasons %s%n",
            s.getString("direction"), s.getDouble("score"), s.getValue("entry"), s.getValue("stop"), s.getValue("targets"), s.getString("bar_time"), s.getValue("reasons")));
      }
      for (JsonObject w : context.winRatesOf(p)) {
        sb.append(String.format(Locale.ROOT, "  win rate (%s) %s over %d resolved signals%n", w.getString("window"), w.getValue("win_rate"), w.getInteger("sample_size")));
      }
    }
    return new Prompt(sb.toString(), message);
  }
}
