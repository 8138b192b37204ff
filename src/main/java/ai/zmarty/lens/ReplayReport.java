package ai.zmarty.lens;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/** The replay's output: old against new, one line per signal and model, then how many changed. */
public final class ReplayReport {
  private ReplayReport() {}

  public static String text(List<ReplayRun.Compared> rows) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-36s  %-10s  %-5s  %-12s  %-20s  %-20s  %s%n", "event", "symbol", "side", "model", "old", "new", ""));
    for (ReplayRun.Compared r : rows) {
      out.append(String.format(Locale.ROOT, "%-36s  %-10s  %-5s  %-12s  %-20s  %-20s  %s%n",
          r.eventId(), r.symbol(), r.direction(), r.model(), r.old().map(ReplayReport::cell).orElse("-"), cell(r.now()), r.changed() ? "changed" : ""));
    }
    return out.append(summary(rows)).append(System.lineSeparator()).toString();
  }

  public static String summary(List<ReplayRun.Compared> rows) {
    long changed = rows.stream().filter(ReplayRun.Compared::changed).count();
    long missing = rows.stream().filter(r -> r.old().isEmpty()).count();
    return String.format(Locale.ROOT, "%d decisions compared, %d changed%s%s", rows.size(), changed,
        rows.isEmpty() ? "" : String.format(Locale.ROOT, " (%.1f %%)", 100.0 * changed / rows.size()), missing == 0 ? "" : ", " + missing + " without a stored decision");
  }

  public static JsonObject json(List<ReplayRun.Compared> rows) {
    JsonArray list = new JsonArray();
    for (ReplayRun.Compared r : rows) {
      list.add(new JsonObject().put("event_id", r.eventId()).put("symbol", r.symbol()).put("direction", r.direction()).put("model", r.model())
          .put("old", r.old().orElse(null)).put("new", r.now()).put("changed", r.changed()));
    }
    return new JsonObject().put("rows", list).put("compared", rows.size()).put("changed", rows.stream().filter(ReplayRun.Compared::changed).count());
  }

  /** The decision and its confidence; a fallback (status other than ok) says which. */
  private static String cell(JsonObject d) {
    String status = d.getString("status", "ok");
    return String.format(Locale.ROOT, "%s %.2f", d.getString("decision"), d.getDouble("confidence", 0.0)) + ("ok".equals(status) ? "" : " (" + status + ")");
  }
}
