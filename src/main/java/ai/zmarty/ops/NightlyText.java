package ai.zmarty.ops;

import io.vertx.core.json.JsonObject;

/** The nightly summary as the text {@code zmarty nightly} prints: one line per step. */
public final class NightlyText {
  private NightlyText() {}

  public static String render(JsonObject summary) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("nightly run %s on %s (%s): %s in %d ms%n", summary.getString("run_id"), summary.getString("node"), summary.getString("trigger"), summary.getString("status"), summary.getLong("duration_ms")));
    for (Object o : summary.getJsonArray("steps")) {
      JsonObject s = (JsonObject) o;
      StepResult.Outcome outcome = StepResult.Outcome.valueOf(s.getString("status").toUpperCase(java.util.Locale.ROOT));
      out.append(String.format("  %s %-9s %-7s %7dms  %s%n", outcome.mark(), s.getString("step"), s.getString("status"), s.getLong("duration_ms"), s.getString("message")));
    }
    if (summary.getString("error") != null) {
      out.append("  failing: ").append(summary.getString("error")).append(System.lineSeparator());
    }
    return out.toString();
  }
}
