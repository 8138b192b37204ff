package ai.zmarty.signal;

import ai.zmarty.ingest.IndicatorValues;
import ai.zmarty.ingest.IngestedBar;
import ai.zmarty.ingest.LiquidationProximity;
import ai.zmarty.market.CandleQuality.Flag;
import java.util.List;

/**
 * What {@link Strategy} reads about one bar: its close, its indicators and whether they are warm,
 * the 30-bar and 180-bar annualised volatility (risk_metric), the nearest strong estimated
 * liquidation clusters and the quality flags on the data behind the bar ({@code missing}, {@code
 * out_of_range}, {@code stale}). All of it was computed by ingest from bars up to this one. The signal
 * worker builds it from the stored rows, the backtest and the tests from {@link IngestedBar}: one
 * strategy, the same inputs.
 */
public record BarInputs(double close, IndicatorValues indicators, boolean warm, Double volatility, Double volatilityLong, LiquidationProximity liquidation, List<Flag> quality) {
  public BarInputs {
    liquidation = liquidation == null ? LiquidationProximity.NONE : liquidation;
    quality = quality == null ? List.of() : List.copyOf(quality);
  }

  /** Clean data: no quality flag. */
  public BarInputs(double close, IndicatorValues indicators, boolean warm, Double volatility, Double volatilityLong, LiquidationProximity liquidation) {
    this(close, indicators, warm, volatility, volatilityLong, liquidation, List.of());
  }

  /** Indicators only: volatility and liquidation clusters unknown (they vote as missing). */
  public static BarInputs indicatorsOnly(double close, IndicatorValues indicators, boolean warm) {
    return new BarInputs(close, indicators, warm, null, null, LiquidationProximity.NONE);
  }

  public static BarInputs of(IngestedBar bar) {
    return new BarInputs(bar.indicators().close(), bar.indicators().values(), bar.indicators().warm(), bar.risk().volatility(), bar.risk().volatilityLong(), bar.liquidation(), bar.quality());
  }
}
