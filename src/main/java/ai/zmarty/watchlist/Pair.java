package ai.zmarty.watchlist;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/** A watched market: symbol in BASE/QUOTE form and a candle timeframe. */
public record Pair(String symbol, String timeframe) {
  public static final Set<String> TIMEFRAMES = Set.of("1m", "5m", "15m", "30m", "1h", "4h", "1d");
  private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9]{2,15}/[A-Z0-9]{2,10}");

  /** Checks user input; the message says what is wrong. */
  public static Pair parse(String symbol, String timeframe) {
    if (symbol == null || symbol.isBlank()) {
      throw new IllegalArgumentException("symbol is required, like \"BTC/USDT\"");
    }
    String s = symbol.trim().toUpperCase(java.util.Locale.ROOT);
    if (!SYMBOL.matcher(s).matches()) {
      throw new IllegalArgumentException("symbol must look like BASE/QUOTE, e.g. \"BTC/USDT\", got \"" + symbol + "\"");
    }
    String tf = timeframe == null ? "1h" : timeframe.trim();
    if (!TIMEFRAMES.contains(tf)) {
      throw new IllegalArgumentException("timeframe must be one of 1m, 5m, 15m, 30m, 1h, 4h, 1d, got \"" + timeframe + "\"");
    }
    return new Pair(s, tf);
  }

  /** The base asset, e.g. BTC for BTC/USDT. */
  public String base() {
    return symbol.substring(0, symbol.indexOf('/'));
  }

  public JsonObject toJson() {
    return new JsonObject().put("symbol", symbol).put("timeframe", timeframe);
  }
}
