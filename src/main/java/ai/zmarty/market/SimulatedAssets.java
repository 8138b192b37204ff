package ai.zmarty.market;

import java.util.Set;

/** What the offline markets list: the simulated market's large caps, and the quotes they trade in. */
final class SimulatedAssets {
  private SimulatedAssets() {}

  /** The base assets the simulated market lists: the large caps of the real markets. */
  static final Set<String> ASSETS =
      Set.of(
          "BTC", "ETH", "SOL", "BNB", "XRP", "ADA", "DOGE", "AVAX", "DOT", "LINK", "LTC", "TRX", "ATOM", "UNI", "BCH", "NEAR", "APT", "ARB", "OP", "SUI",
          "TON", "SHIB", "PEPE", "FIL", "ETC", "XLM", "INJ", "TIA", "SEI", "AAVE", "MKR", "HBAR", "ICP", "WIF", "POL", "HYPE");

  /** The quote assets of the listed pairs. */
  static final Set<String> QUOTES = Set.of("USDT", "USDC", "USD");

  /** A base asset of {@link #ASSETS} quoted in {@link #QUOTES}, at any {@link Timeframe}. */
  static boolean lists(String symbol, String timeframe) {
    try {
      Timeframe.parse(timeframe);
      Symbols.Parsed p = Symbols.parse(symbol);
      return ASSETS.contains(p.base()) && QUOTES.contains(p.quote());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
