package ai.zmarty.ingest;

import ai.zmarty.market.Candle;
import ai.zmarty.market.Timeframe;
import java.time.Instant;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.Indicator;
import org.ta4j.core.indicators.ATRIndicator;
import org.ta4j.core.indicators.CCIIndicator;
import org.ta4j.core.indicators.MACDIndicator;
import org.ta4j.core.indicators.ROCIndicator;
import org.ta4j.core.indicators.RSIIndicator;
import org.ta4j.core.indicators.StochasticOscillatorDIndicator;
import org.ta4j.core.indicators.StochasticOscillatorKIndicator;
import org.ta4j.core.indicators.WilliamsRIndicator;
import org.ta4j.core.indicators.adx.ADXIndicator;
import org.ta4j.core.indicators.aroon.AroonDownIndicator;
import org.ta4j.core.indicators.aroon.AroonUpIndicator;
import org.ta4j.core.indicators.averages.EMAIndicator;
import org.ta4j.core.indicators.averages.SMAIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandWidthIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsLowerIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsMiddleIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsUpperIndicator;
import org.ta4j.core.indicators.bollinger.PercentBIndicator;
import org.ta4j.core.indicators.donchian.DonchianChannelLowerIndicator;
import org.ta4j.core.indicators.donchian.DonchianChannelMiddleIndicator;
import org.ta4j.core.indicators.donchian.DonchianChannelUpperIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.indicators.helpers.CombineIndicator;
import org.ta4j.core.indicators.helpers.PreviousValueIndicator;
import org.ta4j.core.indicators.ichimoku.IchimokuKijunSenIndicator;
import org.ta4j.core.indicators.ichimoku.IchimokuSenkouSpanAIndicator;
import org.ta4j.core.indicators.ichimoku.IchimokuSenkouSpanBIndicator;
import org.ta4j.core.indicators.ichimoku.IchimokuTenkanSenIndicator;
import org.ta4j.core.indicators.statistics.StandardDeviationIndicator;
import org.ta4j.core.indicators.supertrend.SuperTrendIndicator;
import org.ta4j.core.indicators.volume.ChaikinMoneyFlowIndicator;
import org.ta4j.core.indicators.volume.MoneyFlowIndexIndicator;
import org.ta4j.core.indicators.volume.OnBalanceVolumeIndicator;
import org.ta4j.core.indicators.volume.VWAPIndicator;
import org.ta4j.core.num.DoubleNumFactory;
import org.ta4j.core.num.Num;

/**
 * The seed's 21 indicators over one kept, bounded ta4j {@link BarSeries} of one pair: {@link
 * #append} adds a closed bar and computes that bar's values only. ta4j caches every indicator's
 * values per bar index, so the recursive ones (EMA, RSI, ATR, MACD, ADX, OBV, SuperTrend) step on
 * from their previous value and the window ones read at most their window; nothing is recomputed
 * from the start. A bar's values use that bar and the ones appended before it, never later ones:
 * no lookahead by construction.
 *
 * <p>Every indicator but the Parabolic SAR is ta4j's own class, with ta4j's definitions:
 *
 * <ul>
 *   <li>EMA 9/21/50, SMA 200; MACD 12/26 with a 9-bar EMA signal line and histogram;
 *   <li>RSI 14 and ATR 14 (Wilder's smoothing); ADX 14 (DI 14, ADX smoothing 14);
 *   <li>Bollinger 20/2 on the close (population standard deviation): {@code bb_percent_b} =
 *       (close − lower) ÷ (upper − lower), {@code bb_width} = (upper − lower) ÷ middle × 100;
 *   <li>Fast stochastic (the common charting default): %K 14 and %D = SMA 3 of %K; Williams %R
 *       14; CCI 20; MFI 14; ROC 10 (in %); CMF 20; Aroon up/down 25;
 *   <li>OBV, stored as its change over the last {@value #OBV_CHANGE_BARS} bars ({@code
 *       obv_change_20}: the signed volume of those bars, + when the close rose, − when it fell).
 *       ta4j's OBV is a running total from the first bar the series saw, so two series that
 *       started at different bars — a worker that kept its series, another that rebuilt it —
 *       differ by a constant; its change over a fixed window does not depend on the start;
 *   <li>VWAP: ta4j's rolling VWAP of the typical price over the last 20 bars (crypto has no
 *       session to anchor a daily VWAP to);
 *   <li>Parabolic SAR 0.02/0.02/0.2: {@link ParabolicSar}, Wilder's definition as TA-Lib computes
 *       it, stepped once per bar (ta4j's differs from it and re-walks the kept bars on every new
 *       bar, so its value depended on where the kept window started); SuperTrend 10 × 3 ATR;
 *   <li>Ichimoku 9/26/52: tenkan, kijun, and senkou span A/B as they stand at the bar (computed
 *       from the bar 26 back, so they are plotted 26 bars ahead of their inputs). The chikou span
 *       is left out: it is the close 26 bars later, so it would look ahead;
 *   <li>Donchian 20: highest high, lowest low and their middle.
 * </ul>
 *
 * ta4j seeds its recursive averages with the first value, where TA-Lib seeds with a simple
 * average; the two agree within 1e-6 only after a few hundred bars, so a bar is {@code warm} once
 * {@value IndicatorCalculator#WARM_BARS} bars were appended before it. Not thread-safe: one owner
 * (a worker, a benchmark thread) appends.
 */
public final class IndicatorSeries {
  /** Bars kept by default: every window here (SMA 200, Ichimoku 52 + 26) fits. */
  public static final int DEFAULT_MAX_BARS = 300;

  /** OBV is stored as its change over this many bars (see the class comment). */
  public static final int OBV_CHANGE_BARS = 20;

  private final Timeframe timeframe;
  private final BarSeries series;
  private long appended;
  private Instant lastOpen;

  private final Indicator<Num> ema9;
  private final Indicator<Num> ema21;
  private final Indicator<Num> ema50;
  private final Indicator<Num> sma200;
  private final Indicator<Num> macd;
  private final Indicator<Num> macdSignal;
  private final Indicator<Num> macdHist;
  private final Indicator<Num> rsi14;
  private final Indicator<Num> atr14;
  private final Indicator<Num> bbPercentB;
  private final Indicator<Num> bbWidth;
  private final Indicator<Num> stochK;
  private final Indicator<Num> stochD;
  private final Indicator<Num> adx14;
  private final Indicator<Num> cci20;
  private final Indicator<Num> obvChange20;
  private final Indicator<Num> vwap20;
  private final Indicator<Num> williamsR14;
  private final Indicator<Num> mfi14;
  private final Indicator<Num> roc10;
  private final Indicator<Num> cmf20;
  private final Indicator<Num> aroonUp25;
  private final Indicator<Num> aroonDown25;
  private final ParabolicSar sar = new ParabolicSar();
  /** The Parabolic SAR of each kept bar, at its series index modulo the bound. */
  private final double[] psar;
  private final Indicator<Num> supertrend;
  private final Indicator<Num> tenkan;
  private final Indicator<Num> kijun;
  private final Indicator<Num> senkouA;
  private final Indicator<Num> senkouB;
  private final Indicator<Num> donchianUpper;
  private final Indicator<Num> donchianLower;
  private final Indicator<Num> donchianMiddle;

  public IndicatorSeries(Timeframe timeframe) {
    this(timeframe, DEFAULT_MAX_BARS);
  }

  /** @param maxBars bars the series keeps (older ones are dropped); at least 300 */
  public IndicatorSeries(Timeframe timeframe, int maxBars) {
    if (maxBars < 300) {
      throw new IllegalArgumentException("maxBars must be at least 300 (SMA 200 and Ichimoku need their windows), got " + maxBars);
    }
    this.timeframe = timeframe;
    this.series = new BaseBarSeriesBuilder().withName("indicators").withNumFactory(DoubleNumFactory.getInstance()).build();
    series.setMaximumBarCount(maxBars);
    psar = new double[maxBars];

    ClosePriceIndicator close = new ClosePriceIndicator(series);
    ema9 = new EMAIndicator(close, 9);
    ema21 = new EMAIndicator(close, 21);
    ema50 = new EMAIndicator(close, 50);
    sma200 = new SMAIndicator(close, 200);
    MACDIndicator macdLine = new MACDIndicator(close, 12, 26);
    macd = macdLine;
    macdSignal = macdLine.getSignalLine(9);
    macdHist = macdLine.getHistogram(9);
    rsi14 = new RSIIndicator(close, 14);
    atr14 = new ATRIndicator(series, 14);

    BollingerBandsMiddleIndicator bbMiddle = new BollingerBandsMiddleIndicator(new SMAIndicator(close, 20));
    StandardDeviationIndicator bbDeviation = new StandardDeviationIndicator(close, 20);
    BollingerBandsUpperIndicator bbUpper = new BollingerBandsUpperIndicator(bbMiddle, bbDeviation, series.numFactory().numOf(2));
    BollingerBandsLowerIndicator bbLower = new BollingerBandsLowerIndicator(bbMiddle, bbDeviation, series.numFactory().numOf(2));
    bbPercentB = new PercentBIndicator(close, 20, 2.0);
    bbWidth = new BollingerBandWidthIndicator(bbUpper, bbMiddle, bbLower);

    StochasticOscillatorKIndicator k = new StochasticOscillatorKIndicator(series, 14);
    stochK = k;
    stochD = new StochasticOscillatorDIndicator(k);
    adx14 = new ADXIndicator(series, 14);
    cci20 = new CCIIndicator(series, 20);
    OnBalanceVolumeIndicator obv = new OnBalanceVolumeIndicator(series);
    obvChange20 = CombineIndicator.minus(obv, new PreviousValueIndicator(obv, OBV_CHANGE_BARS));
    vwap20 = new VWAPIndicator(series, 20);
    williamsR14 = new WilliamsRIndicator(series, 14);
    mfi14 = new MoneyFlowIndexIndicator(series, 14);
    roc10 = new ROCIndicator(close, 10);
    cmf20 = new ChaikinMoneyFlowIndicator(series, 20);
    aroonUp25 = new AroonUpIndicator(series, 25);
    aroonDown25 = new AroonDownIndicator(series, 25);
    supertrend = new SuperTrendIndicator(series, 10, 3.0);

    IchimokuTenkanSenIndicator tenkanSen = new IchimokuTenkanSenIndicator(series, 9);
    IchimokuKijunSenIndicator kijunSen = new IchimokuKijunSenIndicator(series, 26);
    tenkan = tenkanSen;
    kijun = kijunSen;
    senkouA = new IchimokuSenkouSpanAIndicator(series, tenkanSen, kijunSen, 26);
    senkouB = new IchimokuSenkouSpanBIndicator(series, 52, 26);

    DonchianChannelUpperIndicator upper = new DonchianChannelUpperIndicator(series, 20);
    DonchianChannelLowerIndicator lower = new DonchianChannelLowerIndicator(series, 20);
    donchianUpper = upper;
    donchianLower = lower;
    donchianMiddle = new DonchianChannelMiddleIndicator(series, 20, lower, upper);
  }

  /** Appends a closed bar, which must open after the last one, and returns its values. */
  public IndicatorBar append(Candle c) {
    add(c);
    return valuesAt(series.getEndIndex());
  }

  /**
   * Appends a closed bar without computing its values (a backfill that only needs later bars'
   * values; the recursive indicators fill in the skipped bars when a later bar is computed).
   */
  public void add(Candle c) {
    if (lastOpen != null && !c.openTime().isAfter(lastOpen)) {
      throw new IllegalArgumentException("bar at " + c.openTime() + " does not follow the last one at " + lastOpen);
    }
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
    psar[series.getEndIndex() % psar.length] = sar.next(c.high(), c.low());
    lastOpen = c.openTime();
    appended++;
  }

  /**
   * The values of the bar appended {@code index}-th (0 = the first ever appended), which must
   * still be kept. Asking for an older bar after newer ones were added gives the values computed
   * over the whole kept series, which is what the no-lookahead test compares against.
   */
  public IndicatorBar valuesAt(int i) {
    if (i < series.getBeginIndex() || i > series.getEndIndex()) {
      throw new IndexOutOfBoundsException("bar " + i + " is not kept (kept: " + series.getBeginIndex() + ".." + series.getEndIndex() + ")");
    }
    IndicatorValues values =
        new IndicatorValues(
            value(ema9, i),
            value(ema21, i),
            value(ema50, i),
            value(rsi14, i),
            value(macd, i),
            value(macdSignal, i),
            value(macdHist, i),
            value(atr14, i),
            value(sma200, i),
            value(bbPercentB, i),
            value(bbWidth, i),
            value(stochK, i),
            value(stochD, i),
            value(adx14, i),
            value(cci20, i),
            value(obvChange20, i),
            value(vwap20, i),
            value(williamsR14, i),
            value(mfi14, i),
            value(roc10, i),
            value(cmf20, i),
            value(aroonUp25, i),
            value(aroonDown25, i),
            finite(psar[i % psar.length]),
            value(supertrend, i),
            value(tenkan, i),
            value(kijun, i),
            value(senkouA, i),
            value(senkouB, i),
            value(donchianUpper, i),
            value(donchianLower, i),
            value(donchianMiddle, i));
    org.ta4j.core.Bar bar = series.getBar(i);
    return new IndicatorBar(bar.getBeginTime(), bar.getClosePrice().doubleValue(), values, i >= IndicatorCalculator.WARM_BARS, i);
  }

  /** Bars appended so far (including those the bounded series has dropped). */
  public long appended() {
    return appended;
  }

  /** Open time of the newest bar, or null before the first. */
  public Instant lastOpen() {
    return lastOpen;
  }

  public Timeframe timeframe() {
    return timeframe;
  }

  /**
   * ta4j answers NaN inside an indicator's unstable period (and for 0 ÷ 0, e.g. %b on a flat
   * window); JSON has no NaN, so that becomes null.
   */
  private static Double value(Indicator<Num> indicator, int index) {
    Num n = indicator.getValue(index);
    return n == null || n.isNaN() ? null : finite(n.doubleValue());
  }

  private static Double finite(double d) {
    return Double.isFinite(d) ? d : null;
  }
}
