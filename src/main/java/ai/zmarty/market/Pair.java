package ai.zmarty.market;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A symbol and a timeframe: what the workers compute for, and the payload {@code {symbol,
 * timeframe}} of the ingest and signal jobs. Symbols are kept upper case ({@code BTC/USDT}).
 */
public record Pair(String symbol, Timeframe timeframe) {
  private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9]{1,20}([/:_-][A-Z0-9]{1,20})?");

  /** Checks and normalises; the message says what is wrong. */
  public static Pair of(String symbol, String timeframe) {
    if (symbol == null || symbol.isBlank()) {
      throw new IllegalArgumentException("symbol is missing");
    }
    String s = symbol.trim().toUpperCase(Locale.ROOT);
    if (!SYMBOL.matcher(s).matches()) {
      throw new IllegalArgumentException("'" + symbol + "' is not a symbol like BTC/USDT");
    }
    if (timeframe == null || timeframe.isBlank()) {
      throw new IllegalArgumentException("timeframe is missing");
    }
    return new Pair(s, Timeframe.parse(timeframe));
  }

  /** Reads {@code {"symbol": "BTC/USDT", "timeframe": "1h"}}; anything else is an IllegalArgumentException. */
  public static Pair fromJson(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("payload is missing");
    }
    Object symbol = json.getValue("symbol");
    Object timeframe = json.getValue("timeframe");
    if (symbol != null && !(symbol instanceof String) || timeframe != null && !(timeframe instanceof String)) {
      throw new IllegalArgumentException("symbol and timeframe must be strings");
    }
    return of((String) symbol, (String) timeframe);
  }

  public JsonObject toJson() {
    return new JsonObject().put("symbol", symbol).put("timeframe", timeframe.label());
  }

  @Override
  public String toString() {
    return symbol + " " + timeframe.label();
  }
}
