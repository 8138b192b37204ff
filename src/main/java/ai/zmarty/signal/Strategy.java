package ai.zmarty.signal;

import ai.zmarty.ingest.IndicatorValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first strategy, "composite": a weighted vote of four views of one bar's indicators, each
 * voting from −1 (short) to +1 (long).
 *
 * <ul>
 *   <li>ema_stack (0.35): +1 when EMA 9 > 21 > 50, −1 when 9 < 21 < 50, 0 when mixed;
 *   <li>price_vs_ema50 (0.15): +1 above EMA 50, −1 below;
 *   <li>macd (0.30): ½ for the side of the histogram plus ½ for the side of the MACD line;
 *   <li>rsi (0.20): (RSI − 50) ÷ 20 between 30 and 70; beyond them it leans against the move
 *       (−½ overbought, +½ oversold).
 * </ul>
 *
 * The sum is the composite from −1 to +1; at or beyond ±{@value #THRESHOLD} the signal is long or
 * short, otherwise flat; the score is its absolute value, halved while the bar is not warm. A
 * directional signal enters at the bar's close with a stop {@value #STOP_ATR} × ATR 14 away and
 * targets at 1R, 2R and 3R; without an ATR there is no stop, so the signal is flat. The decision
 * for bar t reads only bar t's indicators, which ingest computed from bars up to t: no lookahead.
 */
public final class Strategy {
  public static final String NAME = "composite";
  public static final int HORIZON_BARS = 12;
  public static final double STOP_ATR = 1.5;
  static final double THRESHOLD = 0.35;
  static final double W_EMA_STACK = 0.35;
  static final double W_PRICE = 0.15;
  static final double W_MACD = 0.30;
  static final double W_RSI = 0.20;

  private Strategy() {}

  public static Decision decide(double close, IndicatorValues v, boolean warm) {
    List<Reason> reasons = new ArrayList<>();
    double composite = 0;
    composite += emaStack(v, reasons);
    composite += priceVsEma50(close, v, reasons);
    composite += macd(v, reasons);
    composite += rsi(v, reasons);

    Direction direction = composite >= THRESHOLD ? Direction.LONG : composite <= -THRESHOLD ? Direction.SHORT : Direction.FLAT;
    double score = Math.min(1, Math.abs(composite));
    if (!warm) {
      score *= 0.5;
      reasons.add(new Reason("warm_up", "fewer than 250 bars before this one: indicators not converged", "weaker", 0, 0));
    }
    if (direction != Direction.FLAT && (v.atr14() == null || v.atr14() <= 0)) {
      reasons.add(new Reason("atr_14", "no ATR yet, so no stop", "flat", 0, 0));
      direction = Direction.FLAT;
    }
    if (direction == Direction.FLAT) {
      return new Decision(Direction.FLAT, score, close, null, List.of(), List.copyOf(reasons), HORIZON_BARS);
    }
    double side = direction == Direction.LONG ? 1 : -1;
    double risk = STOP_ATR * v.atr14();
    List<Double> targets = List.of(close + side * risk, close + side * 2 * risk, close + side * 3 * risk);
    return new Decision(direction, score, close, close - side * risk, targets, List.copyOf(reasons), HORIZON_BARS);
  }

  private static double emaStack(IndicatorValues v, List<Reason> reasons) {
    if (v.ema9() == null || v.ema21() == null || v.ema50() == null) {
      return missing("ema_stack", W_EMA_STACK, reasons);
    }
    double vote;
    String detail;
    if (v.ema9() > v.ema21() && v.ema21() > v.ema50()) {
      vote = 1;
      detail = "ema 9 > 21 > 50";
    } else if (v.ema9() < v.ema21() && v.ema21() < v.ema50()) {
      vote = -1;
      detail = "ema 9 < 21 < 50";
    } else {
      vote = 0;
      detail = "emas not stacked";
    }
    return add("ema_stack", detail, W_EMA_STACK, vote, reasons);
  }

  private static double priceVsEma50(double close, IndicatorValues v, List<Reason> reasons) {
    if (v.ema50() == null) {
      return missing("price_vs_ema50", W_PRICE, reasons);
    }
    double vote = Math.signum(close - v.ema50());
    return add("price_vs_ema50", String.format(Locale.ROOT, "close %s ema 50 by %.2f%%", vote >= 0 ? "above" : "below", 100 * Math.abs(close / v.ema50() - 1)), W_PRICE, vote, reasons);
  }

  private static double macd(IndicatorValues v, List<Reason> reasons) {
    if (v.macd() == null || v.macdHist() == null) {
      return missing("macd", W_MACD, reasons);
    }
    double vote = 0.5 * Math.signum(v.macdHist()) + 0.5 * Math.signum(v.macd());
    String detail = String.format(Locale.ROOT, "histogram %s 0, line %s 0", v.macdHist() >= 0 ? "above" : "below", v.macd() >= 0 ? "above" : "below");
    return add("macd", detail, W_MACD, vote, reasons);
  }

  private static double rsi(IndicatorValues v, List<Reason> reasons) {
    if (v.rsi14() == null) {
      return missing("rsi", W_RSI, reasons);
    }
    double r = v.rsi14();
    double vote;
    String detail;
    if (r >= 70) {
      vote = -0.5;
      detail = String.format(Locale.ROOT, "rsi %.1f overbought", r);
    } else if (r <= 30) {
      vote = 0.5;
      detail = String.format(Locale.ROOT, "rsi %.1f oversold", r);
    } else {
      vote = (r - 50) / 20;
      detail = String.format(Locale.ROOT, "rsi %.1f", r);
    }
    return add("rsi", detail, W_RSI, vote, reasons);
  }

  private static double add(String input, String detail, double weight, double vote, List<Reason> reasons) {
    String push = vote > 0 ? "long" : vote < 0 ? "short" : "neutral";
    double contribution = weight * vote;
    reasons.add(new Reason(input, detail, push, weight, contribution));
    return contribution;
  }

  private static double missing(String input, double weight, List<Reason> reasons) {
    reasons.add(new Reason(input, "not enough bars yet", "missing", weight, 0));
    return 0;
  }
}
