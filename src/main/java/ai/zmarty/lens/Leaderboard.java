package ai.zmarty.lens;

import ai.zmarty.winrate.Wilson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The judges' leaderboard, from the counts of their calls: hit rate (right calls over judged
 * ones) with its Wilson 95 % interval, the Brier score of {@code confidence} against a right call
 * (0 perfect, 0.25 a coin's), the mean return of the trades entered, and cost per right call. A
 * model more than half of whose decisions were fallbacks (invalid_json, timeout, provider_error)
 * is marked {@code mostly_fallbacks} and gets no rank; the others, and the majority vote, are
 * ranked by the low end of the interval, then hit rate, then name.
 */
public final class Leaderboard {
  private Leaderboard() {}

  public static final String VOTE = "majority_vote";

  /** The counts of one group's calls. */
  public record Counts(String name, long decisions, long fallbacks, long resolved, long correct, Double brierSum, Double meanReturn, double cost) {}

  /** The start of a window: {@code 7d}, {@code 30d} or {@code all} (since the epoch). */
  public static Optional<Instant> since(String window, Instant now) {
    return switch (window) {
      case "7d" -> Optional.of(now.minus(Duration.ofDays(7)));
      case "30d" -> Optional.of(now.minus(Duration.ofDays(30)));
      case "all" -> Optional.of(Instant.EPOCH);
      default -> Optional.empty();
    };
  }

  public static boolean mostlyFallbacks(Counts c) {
    return c.fallbacks() * 2 > c.decisions();
  }

  /** One row: the counts and what follows from them ({@code key}: "model" or "source"). */
  public static JsonObject row(String key, Counts c) {
    JsonObject row = new JsonObject()
        .put(key, c.name())
        .put("decisions", c.decisions())
        .put("fallbacks", c.fallbacks())
        .put("resolved", c.resolved())
        .put("correct", c.correct());
    if (c.resolved() > 0) {
      Wilson w = Wilson.of(c.correct(), c.resolved());
      row.put("hit_rate", (double) c.correct() / c.resolved()).put("hit_rate_ci", new JsonObject().put("low", w.low()).put("high", w.high()));
      row.put("brier", c.brierSum() == null ? null : c.brierSum() / c.resolved());
    } else {
      row.putNull("hit_rate").putNull("hit_rate_ci").putNull("brier");
    }
    return row.put("mean_return", c.meanReturn())
        .put("cost", c.cost())
        .put("cost_per_correct", c.correct() > 0 ? c.cost() / c.correct() : null);
  }

  /** The model rows and the vote row, ranked; marked models after the ranked ones. */
  public static JsonArray models(List<Counts> models, Counts vote) {
    List<JsonObject> rows = new ArrayList<>();
    for (Counts c : models) {
      rows.add(row("model", c).put("vote", false).put("mostly_fallbacks", mostlyFallbacks(c)));
    }
    if (vote.decisions() > 0) {
      rows.add(row("model", new Counts(VOTE, vote.decisions(), 0, vote.resolved(), vote.correct(), vote.brierSum(), vote.meanReturn(), vote.cost())).put("vote", true).put("mostly_fallbacks", false));
    }
    Comparator<JsonObject> order = Comparator.<JsonObject>comparingDouble(r -> rankable(r) ? -r.getJsonObject("hit_rate_ci").getDouble("low") : 1)
        .thenComparingDouble(r -> rankable(r) ? -r.getDouble("hit_rate") : 1)
        .thenComparing(r -> r.getString("model"));
    rows.sort(order);
    int rank = 0;
    JsonArray out = new JsonArray();
    for (JsonObject r : rows) {
      r.put("rank", rankable(r) ? ++rank : null);
      out.add(r);
    }
    return out;
  }

  private static boolean rankable(JsonObject r) {
    return !r.getBoolean("mostly_fallbacks") && r.getLong("resolved") > 0;
  }
}
