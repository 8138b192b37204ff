package ai.zmarty.market;

import io.vertx.core.json.JsonObject;

/**
 * The one pair type: a symbol and a timeframe. What a user watches ({@link #watched}), what the
 * workers compute for and the payload {@code {symbol, timeframe}} of the ingest, signal and
 * win-rate jobs ({@link #of}, {@link #fromJson}). Symbols are kept upper case ({@code BTC/USDT});
 * {@link Symbols} checks them.
 */
public record Pair(String symbol, Timeframe timeframe) {
  /** The timeframe of a watched pair when the user names none. */
  public static final Timeframe DEFAULT_TIMEFRAME = Timeframe.H1;

  /** Checks and normalises a job's pair; the message says what is wrong. */
  public static Pair of(String symbol, String timeframe) {
    String s = Symbols.jobSymbol(symbol);
    if (timeframe == null || timeframe.isBlank()) {
      throw new IllegalArgumentException("timeframe is missing");
    }
    return new Pair(s, Timeframe.parse(timeframe));
  }

  /**
   * Checks a pair a user asks to watch: the symbol exactly {@code BASE/QUOTE}, the timeframe an
   * exact label ({@link #DEFAULT_TIMEFRAME} when null); the message says what is wrong.
   */
  public static Pair watched(String symbol, String timeframe) {
    String s = Symbols.watchable(symbol);
    String tf = timeframe == null ? DEFAULT_TIMEFRAME.label() : timeframe.trim();
    return new Pair(s, Timeframe.exactly(tf).orElseThrow(
        () -> new IllegalArgumentException("timeframe must be one of " + Timeframe.labels() + ", got \"" + timeframe + "\"")));
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

  /** The base asset, e.g. BTC for BTC/USDT. */
  public String base() {
    return Symbols.base(symbol);
  }

  /** The timeframe's label ({@code 1h}), as the databases store it. */
  public String timeframeLabel() {
    return timeframe.label();
  }

  public JsonObject toJson() {
    return new JsonObject().put("symbol", symbol).put("timeframe", timeframe.label());
  }

  @Override
  public String toString() {
    return symbol + " " + timeframe.label();
  }
}
