package ai.zmarty.router;

import ai.zmarty.market.Pair;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * Builds the prompt: who Zmarty is and the user's market facts (system), the session so far (as
 * earlier turns), then the question.
 */
public final class PromptBuilder {
  /** The most earlier messages a prompt carries, and the most characters of each. */
  public static final int HISTORY_MESSAGES = 10;

  public static final int HISTORY_CHARS = 2000;

  /** One earlier message of the session: {@code user} or {@code assistant}. */
  public record Turn(String role, String content) {}

  private PromptBuilder() {}

  public static Prompt build(ChatContext context, String message) {
    return build(context, java.util.List.of(), message);
  }

  public static Prompt build(ChatContext context, java.util.List<Turn> history, String message) {
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
    return new Prompt(sb.toString(), turns(history), message);
  }

  /**
   * The latest {@value #HISTORY_MESSAGES} messages, each cut to {@value #HISTORY_CHARS} characters;
   * a conversation sent to a model starts with the user, so a leading answer is dropped.
   */
  static java.util.List<Turn> turns(java.util.List<Turn> history) {
    java.util.List<Turn> out = new java.util.ArrayList<>();
    for (Turn t : history.subList(Math.max(0, history.size() - HISTORY_MESSAGES), history.size())) {
      if (out.isEmpty() && !t.role().equals("user")) {
        continue;
      }
      String content = t.content().length() > HISTORY_CHARS ? t.content().substring(0, HISTORY_CHARS) + "…" : t.content();
      out.add(new Turn(t.role().equals("assistant") ? "assistant" : "user", content));
    }
    return java.util.List.copyOf(out);
  }
}
