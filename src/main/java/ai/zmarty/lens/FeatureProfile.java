package ai.zmarty.lens;

import ai.zmarty.market.Timeframe;
import java.util.List;

/**
 * What enrichment gathers for an event that names this profile: candles and TA per timeframe
 * ({@code ta}), the perpetual's funding, open interest and mark ({@code derivatives}), the order
 * book's top levels and imbalance ({@code orderbook}) and support/resistance levels from swing
 * highs and lows ({@code levels}). Every profile has the ticker (mid, bid, ask, spread). Resolved:
 * {@code extends} chains are already applied ({@link FeatureProfiles}).
 */
public record FeatureProfile(String name, List<Timeframe> timeframes, boolean ta, boolean derivatives, boolean orderbook, boolean levels) {
  public FeatureProfile {
    timeframes = List.copyOf(timeframes);
  }
}
