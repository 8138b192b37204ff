package ai.zmarty.ingest;

import ai.zmarty.market.Candle;
import ai.zmarty.market.Timeframe;
import java.util.ArrayList;
import java.util.List;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.Indicator;
import org.ta4j.core.indicators.ATRIndicator;
import org.ta4j.core.indicators.MACDIndicator;
import org.ta4j.core.indicators.RSIIndicator;
import org.ta4j.core.indicators.averages.EMAIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.num.DoubleNumFactory;
import org.ta4j.core.num.Num;

/**
 * EMA 9/21/50, RSI 14, MACD 12/26/9 and ATR 14 with ta4j. A bar's values use only that bar and
 * the ones before it in the list. ta4j seeds its averages with the first value, so values differ
 * from TA-Lib's until a few hundred bars have passed: a bar is {@code warm} once {@value
 * #WARM_BARS} bars preceded it.
 */
public final class IndicatorCalculator {
  public static final int WARM_BARS = 250;

  private IndicatorCalculator() {}

  /** Values for the bars at index {@code fromIndex} and later of {@code candles} (oldest first). */
  public static List<IndicatorBar> compute(List<Candle> candles, Timeframe timeframe, int fromIndex) {
    BarSeries series = new BaseBarSeriesBuilder().withName("ingest").withNumFactory(DoubleNumFactory.getInstance()).build();
    for (Candle c : candles) {
      series
          .barBuilder()
          .timePeriod(timeframe.duration())
          .endTime(timeframe.closeOf(c.openTime()))
          .openPrice(c.open())
          .highPrice(c.high())
          .lowPrice(c.low())
          .closePrice(c.close())
          .volume(c.volume())
          .add();
    }
    ClosePriceIndicator close = new ClosePriceIndicator(series);
    EMAIndicator ema9 = new EMAIndicator(close, 9);
    EMAIndicator ema21 = new EMAIndicator(close, 21);
    EMAIndicator ema50 = new EMAIndicator(close, 50);
    RSIIndicator rsi = new RSIIndicator(close, 14);
    MACDIndicator macd = new MACDIndicator(close, 12, 26);
    Indicator<Num> macdSignal = macd.getSignalLine(9);
    Indicator<Num> macdHist = macd.getHistogram(9);
    ATRIndicator atr = new ATRIndicator(series, 14);

    List<IndicatorBar> out = new ArrayList<>(Math.max(0, candles.size() - fromIndex));
    for (int i = Math.max(0, fromIndex); i < candles.size(); i++) {
      IndicatorValues values =
          new IndicatorValues(
              value(ema9, i), value(ema21, i), value(ema50, i), value(rsi, i), value(macd, i), value(macdSignal, i), value(macdHist, i), value(atr, i));
      out.add(new IndicatorBar(candles.get(i).openTime(), candles.get(i).close(), values, i >= WARM_BARS, i));
    }
    return out;
  }

  /** ta4j answers NaN inside an indicator's unstable period; JSON has no NaN, so that becomes null. */
  private static Double value(Indicator<Num> indicator, int index) {
    Num n = indicator.getValue(index);
    if (n == null || n.isNaN()) {
      return null;
    }
    double d = n.doubleValue();
    return Double.isFinite(d) ? d : null;
  }
}
