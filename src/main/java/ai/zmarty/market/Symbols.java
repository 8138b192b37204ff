package ai.zmarty.market;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one symbol parser: the one place where a symbol is checked or changes form: the canonical
 * {@code BTC/USDT} the workers store, the Hyperliquid coin {@code BTC} and the Binance symbol
 * {@code BTCUSDT}. A bare coin means its USDT pair. Unknown forms fail with a message that shows
 * the accepted ones. What a user may watch ({@link #watchable}) and what a job may name ({@link
 * #jobSymbol}) are checked here too.
 */
public final class Symbols {
  /**
   * Quote assets recognised at the end of a concatenated symbol, longest first so USDT beats USD.
   * Stablecoins only: with BTC or ETH here, coins such as WBTC or STETH would split wrongly (write
   * such pairs with a slash: {@code ETH/BTC}).
   */
  static final List<String> QUOTES = List.of("FDUSD", "USDT", "USDC", "BUSD", "USD");

  /** Quotes Hyperliquid's perpetuals stand for: they settle in USDC and track USD prices. */
  private static final List<String> HYPERLIQUID_QUOTES = List.of("USDT", "USDC", "USD");

  private static final String DEFAULT_QUOTE = "USDT";
  private static final Pattern ASSET = Pattern.compile("[A-Z0-9]{1,15}");
  private static final String FORMS = "BTC/USDT, BTCUSDT, BTC-PERP or BTC";
  /** What a user may watch: exactly BASE/QUOTE, as database A's {@code user_symbols} checks it. */
  private static final Pattern WATCHABLE = Pattern.compile("[A-Z0-9]{2,15}/[A-Z0-9]{2,10}");
  /** What a job payload may name: one asset, or two joined by one separator. */
  private static final Pattern JOB = Pattern.compile("[A-Z0-9]{1,20}([/:_-][A-Z0-9]{1,20})?");

  private Symbols() {}

  /** A base and quote asset, both upper case. */
  public record Parsed(String base, String quote) {
    public String canonical() {
      return base + "/" + quote;
    }
  }

  /** Reads {@code BTC/USDT}, {@code BTC-USDT}, {@code BTC_USDT}, {@code BTCUSDT}, {@code BTC-PERP} or {@code BTC}. */
  public static Parsed parse(String symbol) {
    if (symbol == null || symbol.isBlank()) {
      throw new IllegalArgumentException("symbol is missing (expected " + FORMS + ")");
    }
    String s = upper(symbol);
    if (s.endsWith("-PERP")) {
      return checked(symbol, s.substring(0, s.length() - "-PERP".length()), DEFAULT_QUOTE);
    }
    String[] parts = s.split("[/\\-_:]", -1);
    if (parts.length == 2) {
      return checked(symbol, parts[0], parts[1]);
    }
    if (parts.length > 2) {
      throw unknown(symbol);
    }
    for (String quote : QUOTES) {
      if (s.endsWith(quote) && s.length() > quote.length()) {
        return checked(symbol, s.substring(0, s.length() - quote.length()), quote);
      }
    }
    return checked(symbol, s, DEFAULT_QUOTE);
  }

  /**
   * A symbol a user may watch, upper-cased: exactly {@code BASE/QUOTE} (the form A's {@code
   * user_symbols} stores); the message says what is wrong.
   */
  public static String watchable(String symbol) {
    return matching(symbol, WATCHABLE, "symbol is required, like \"BTC/USDT\"", "symbol must look like BASE/QUOTE, e.g. \"BTC/USDT\", got \"" + symbol + "\"");
  }

  /** A job payload's symbol, upper-cased: one asset or two joined by {@code / : _ -}. */
  public static String jobSymbol(String symbol) {
    return matching(symbol, JOB, "symbol is missing", "'" + symbol + "' is not a symbol like BTC/USDT");
  }

  private static String matching(String symbol, Pattern form, String missing, String wrong) {
    if (symbol == null || symbol.isBlank()) {
      throw new IllegalArgumentException(missing);
    }
    String s = upper(symbol);
    if (!form.matcher(s).matches()) {
      throw new IllegalArgumentException(wrong);
    }
    return s;
  }

  /** The base asset ({@code BTC}) of any accepted form. */
  public static String base(String symbol) {
    return parse(symbol).base();
  }

  /** {@code BTC/USDT} for any accepted form. */
  public static String canonical(String symbol) {
    return parse(symbol).canonical();
  }

  /** The Hyperliquid coin ({@code BTC}); only USD-quoted pairs have one. */
  public static String hyperliquidCoin(String symbol) {
    Parsed p = parse(symbol);
    if (!HYPERLIQUID_QUOTES.contains(p.quote())) {
      throw new IllegalArgumentException("Hyperliquid quotes every coin in USD: '" + symbol + "' (quote " + p.quote() + ") has no Hyperliquid coin; use " + p.base() + "/USDT");
    }
    return p.base();
  }

  /** The Binance symbol ({@code BTCUSDT}). */
  public static String binanceSymbol(String symbol) {
    Parsed p = parse(symbol);
    return p.base() + p.quote();
  }

  /** {@code BTC/USDT} of the Hyperliquid coin {@code BTC}. */
  public static String fromHyperliquid(String coin) {
    return checked(coin, coin == null ? "" : coin.trim().toUpperCase(Locale.ROOT), DEFAULT_QUOTE).canonical();
  }

  /** {@code BTC/USDT} of the Binance symbol {@code BTCUSDT}; it must end in a known quote. */
  public static String fromBinance(String binance) {
    String s = binance == null ? "" : binance.trim().toUpperCase(Locale.ROOT);
    for (String quote : QUOTES) {
      if (s.endsWith(quote) && s.length() > quote.length()) {
        return checked(binance, s.substring(0, s.length() - quote.length()), quote).canonical();
      }
    }
    throw new IllegalArgumentException("'" + binance + "' is not a Binance symbol like BTCUSDT (known quotes: " + QUOTES + ")");
  }

  private static Parsed checked(String original, String base, String quote) {
    if (!ASSET.matcher(base).matches() || !ASSET.matcher(quote).matches()) {
      throw unknown(original);
    }
    if (base.equals(quote)) {
      throw new IllegalArgumentException("'" + original + "' quotes an asset in itself");
    }
    return new Parsed(base, quote);
  }

  private static String upper(String symbol) {
    return symbol.trim().toUpperCase(Locale.ROOT);
  }

  private static IllegalArgumentException unknown(String symbol) {
    return new IllegalArgumentException("'" + symbol + "' is not a symbol form this service knows (expected " + FORMS + ")");
  }
}
