package ai.zmarty.winrate;

import ai.zmarty.market.Symbols;
import ai.zmarty.market.Timeframe;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The query parameters of {@code GET /analytics/leaderboard} and {@code GET /analytics/performance},
 * checked. Each refusal is a {@link BadParameter} whose message names the parameter and the values
 * it takes; an empty value ({@code category=}) is the same as leaving the parameter out.
 */
public final class AnalyticsRequest {
  private AnalyticsRequest() {}

  /** What the leaderboard ranks by; the figures are per trade (docs/performance.md). */
  public enum Metric {
    OMEGA,
    SHARPE,
    SORTINO,
    WIN_RATE,
    PROFIT_FACTOR;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final List<String> WINDOWS = List.of("7d", "30d", "all");
  public static final int DEFAULT_LIMIT = 10;
  public static final int MAX_LIMIT = 100;
  private static final Pattern ASSET = Pattern.compile("[A-Z0-9]{1,20}");
  private static final Set<String> LEADERBOARD_PARAMS = Set.of("metric", "window", "category", "limit");
  private static final Set<String> PERFORMANCE_PARAMS = Set.of("symbol", "timeframe");

  /** A checked leaderboard request: a category is a timeframe or an asset, never both. */
  public record Leaderboard(Metric metric, String window, Optional<String> timeframe, Optional<String> asset, int limit) {
    /** The category as asked for, or null. */
    public String category() {
      return timeframe.or(() -> asset).orElse(null);
    }
  }

  /** A checked performance request: one symbol (canonical), optionally one timeframe. */
  public record PerformanceQuery(String symbol, Optional<String> timeframe) {}

  /** A parameter that is missing, unknown, repeated or out of its values. */
  public static final class BadParameter extends IllegalArgumentException {
    public BadParameter(String message) {
      super(message);
    }
  }

  /** {@code metric} (default omega), {@code window} (default all), {@code category}, {@code limit} (1–100, default 10). */
  public static Leaderboard leaderboard(Map<String, List<String>> params) {
    checkNames(params, LEADERBOARD_PARAMS);
    Metric metric = one(params, "metric").map(AnalyticsRequest::metric).orElse(Metric.OMEGA);
    String window = one(params, "window").map(AnalyticsRequest::window).orElse("all");
    Optional<String> category = one(params, "category");
    Optional<String> timeframe = category.flatMap(Timeframe::exactly).map(Timeframe::label);
    Optional<String> asset = Optional.empty();
    if (category.isPresent() && timeframe.isEmpty()) {
      String upper = category.get().toUpperCase(Locale.ROOT);
      if (!ASSET.matcher(upper).matches()) {
        throw new BadParameter("category must be a timeframe (" + Timeframe.labels() + ") or an asset such as BTC (1 to 20 letters or digits), got '" + category.get() + "'");
      }
      asset = Optional.of(upper);
    }
    int limit = one(params, "limit").map(AnalyticsRequest::limit).orElse(DEFAULT_LIMIT);
    return new Leaderboard(metric, window, timeframe, asset, limit);
  }

  /** {@code symbol} (required, any form {@link Symbols} reads) and {@code timeframe}. */
  public static PerformanceQuery performance(Map<String, List<String>> params) {
    checkNames(params, PERFORMANCE_PARAMS);
    String symbol;
    try {
      symbol = Symbols.canonical(one(params, "symbol").orElse(null));
    } catch (IllegalArgumentException e) {
      throw new BadParameter(e.getMessage());
    }
    Optional<String> timeframe = one(params, "timeframe").map(t -> Timeframe.exactly(t)
        .orElseThrow(() -> new BadParameter("timeframe must be one of " + Timeframe.labels() + ", got '" + t + "'")).label());
    return new PerformanceQuery(symbol, timeframe);
  }

  private static Metric metric(String v) {
    return Arrays.stream(Metric.values()).filter(m -> m.wire().equals(v)).findFirst()
        .orElseThrow(() -> new BadParameter("metric must be one of " + String.join(", ", Arrays.stream(Metric.values()).map(Metric::wire).toList()) + ", got '" + v + "'"));
  }

  private static String window(String v) {
    if (!WINDOWS.contains(v)) {
      throw new BadParameter("window must be one of " + String.join(", ", WINDOWS) + ", got '" + v + "'");
    }
    return v;
  }

  private static int limit(String v) {
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new BadParameter("limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + v + "'");
  }

  private static void checkNames(Map<String, List<String>> params, Set<String> known) {
    for (String name : params.keySet()) {
      if (!known.contains(name)) {
        throw new BadParameter("unknown parameter '" + name + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  /** The parameter's one value; empty when absent or empty; refused when given twice. */
  private static Optional<String> one(Map<String, List<String>> params, String name) {
    List<String> values = params.getOrDefault(name, List.of());
    if (values.size() > 1) {
      throw new BadParameter(name + " must be given once, got " + values.size() + " values");
    }
    return values.stream().map(String::trim).filter(v -> !v.isEmpty()).findFirst();
  }
}
