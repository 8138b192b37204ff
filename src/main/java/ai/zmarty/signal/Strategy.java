package ai.zmarty.signal;

import ai.zmarty.ingest.IndicatorValues;
import ai.zmarty.ingest.LiquidationProximity;
import ai.zmarty.market.CandleQuality.Flag;
import ai.zmarty.market.CandleQuality.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The strategy "composite": a weighted vote of five views of one bar, each voting from −1 (short)
 * to +1 (long), then damped by volatility.
 *
 * <ul>
 *   <li>trend — ema_stack (0.30): +1 when EMA 9 > 21 > 50, −1 when 9 < 21 < 50, 0 when mixed;
 *       price_vs_ema50 (0.15): +1 above EMA 50, −1 below;
 *   <li>momentum — macd (0.25): ½ for the side of the histogram plus ½ for the side of the MACD
 *       line; rsi (0.15): (RSI − 50) ÷ 20 between 30 and 70; beyond them it leans against the move
 *       (−½ overbought, +½ oversold);
 *   <li>liquidation (0.15): estimated liquidation clusters act as magnets. The nearest strong
 *       short-liquidation cluster above the close pulls up, the nearest strong long-liquidation
 *       cluster below pulls down; each pulls with its intensity (0–1) × (1 − distance ÷ {@value
 *       #LIQ_REACH_ATR} ATR), nothing beyond that reach; the vote is pull up − pull down.
 * </ul>
 *
 * The weights sum to 1, so the composite runs from −1 to +1. <b>Volatility</b> does not vote a
 * direction: it asks for more agreement when the market is wilder than usual for this pair. With
 * q = 30-bar volatility ÷ 180-bar volatility, q up to {@value #VOL_DAMP_FROM} leaves the composite
 * as it is; from there to {@value #VOL_STAY_OUT} it is multiplied by a factor falling linearly from
 * 1 to ½; at {@value #VOL_STAY_OUT} or more the signal is flat (stay out of a volatility spike).
 *
 * <p><b>Data quality</b> (ingest's flags on the bar): a {@code stale} bar — the newest bar of a
 * job whose feed was behind, so acting on it would be late — is flat; a bar whose indicators
 * bridged a hole ({@code missing} bars, or an {@code out_of_range} bar dropped, right before it)
 * has its composite halved.
 *
 * <p>At or beyond ±{@value #THRESHOLD} the (damped) composite is long or short, otherwise flat; the
 * score is its absolute value, halved while the bar is not warm. A directional signal enters at the
 * bar's close with a stop {@value #STOP_ATR} × ATR 14 away and targets at 1R, 2R and 3R; without an
 * ATR there is no stop, so the signal is flat. Every input leaves a {@link Reason}, which is stored
 * with the signal and shown in the chat's context. The decision for bar t reads only bar t's
 * inputs, which ingest computed from bars up to t: no lookahead.
 */
public final class Strategy {
  public static final String NAME = "composite";
  public static final int HORIZON_BARS = 12;
  public static final double STOP_ATR = 1.5;
  static final double THRESHOLD = 0.35;
  static final double W_EMA_STACK = 0.30;
  static final double W_PRICE = 0.15;
  static final double W_MACD = 0.25;
  static final double W_RSI = 0.15;
  static final double W_LIQUIDATION = 0.15;
  /** A cluster farther than this many ATR 14 from the close pulls nothing. */
  static final double LIQ_REACH_ATR = 3.0;
  static final double VOL_DAMP_FROM = 1.25;
  static final double VOL_STAY_OUT = 2.0;
  /** The damping factor at the stay-out ratio (just below it). */
  static final double VOL_MIN_FACTOR = 0.5;
  /** The composite of a bar that bridged a hole in the data is multiplied by this. */
  static final double QUALITY_FACTOR = 0.5;

  private Strategy() {}

  public static Decision decide(BarInputs in) {
    IndicatorValues v = in.indicators();
    double close = in.close();
    List<Reason> reasons = new ArrayList<>();
    double composite = 0;
    composite += emaStack(v, reasons);
    composite += priceVsEma50(close, v, reasons);
    composite += macd(v, reasons);
    composite += rsi(v, reasons);
    composite += liquidation(close, v.atr14(), in.liquidation(), reasons);

    double q = in.volatility() == null || in.volatilityLong() == null || !(in.volatilityLong() > 0) ? Double.NaN : in.volatility() / in.volatilityLong();
    boolean stayOut = false;
    if (Double.isNaN(q)) {
      reasons.add(new Reason("volatility", "no volatility yet", "missing", 0, 0));
    } else if (q < VOL_DAMP_FROM) {
      reasons.add(new Reason("volatility", volatilityDetail(in, q) + ": normal", "neutral", 0, 0));
    } else if (q < VOL_STAY_OUT) {
      double factor = 1 - (1 - VOL_MIN_FACTOR) * (q - VOL_DAMP_FROM) / (VOL_STAY_OUT - VOL_DAMP_FROM);
      double damped = composite * factor;
      reasons.add(new Reason("volatility", volatilityDetail(in, q) + String.format(Locale.ROOT, ": high, composite × %.2f", factor), "weaker", 0, damped - composite));
      composite = damped;
    } else {
      stayOut = true;
      reasons.add(new Reason("volatility", volatilityDetail(in, q) + ": spike, stay out", "flat", 0, 0));
    }

    boolean stale = false;
    List<String> holes = new ArrayList<>();
    for (Flag f : in.quality()) {
      if (f.kind() == Kind.STALE) {
        stale = true;
        reasons.add(new Reason("quality", "stale data: " + f.detail(), "flat", 0, 0));
      } else {
        holes.add(f.kind().wire() + ": " + f.detail());
      }
    }
    if (!holes.isEmpty()) {
      double damped = composite * QUALITY_FACTOR;
      reasons.add(new Reason("quality", String.join("; ", holes) + "; composite × " + QUALITY_FACTOR, "weaker", 0, damped - composite));
      composite = damped;
    }

    Direction direction = stayOut || stale ? Direction.FLAT : composite >= THRESHOLD ? Direction.LONG : composite <= -THRESHOLD ? Direction.SHORT : Direction.FLAT;
    double score = Math.min(1, Math.abs(composite));
    if (!in.warm()) {
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

  private static String volatilityDetail(BarInputs in, double q) {
    return String.format(Locale.ROOT, "30-bar volatility %.0f%% is %.2f× its 180-bar level %.0f%%", 100 * in.volatility(), q, 100 * in.volatilityLong());
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

  /**
   * Clusters as magnets: price tends to be drawn to where many stops and liquidations wait
   * (liquidity), so a strong short-liquidation cluster just above pushes long and a long-liquidation
   * cluster just below pushes short. Distances are measured in ATRs so "near" means the same on a
   * quiet and on a wild pair; beyond {@value #LIQ_REACH_ATR} ATR a cluster is out of reach within
   * the signal's horizon.
   */
  private static double liquidation(double close, Double atr, LiquidationProximity p, List<Reason> reasons) {
    if (atr == null || !(atr > 0) || !(close > 0)) {
      return missing("liquidation", W_LIQUIDATION, reasons);
    }
    double atrPct = atr / close;
    double up = pull(p.aboveDistance(), p.aboveIntensity(), atrPct);
    double down = pull(p.belowDistance(), p.belowIntensity(), atrPct);
    String detail = side("short-liquidation cluster", "above", "pulls up", p.aboveDistance(), p.aboveIntensity(), atrPct, up)
        + "; " + side("long-liquidation cluster", "below", "pulls down", p.belowDistance(), p.belowIntensity(), atrPct, down);
    return add("liquidation", detail, W_LIQUIDATION, Math.max(-1, Math.min(1, up - down)), reasons);
  }

  private static double pull(Double distance, Double intensity, double atrPct) {
    if (distance == null || intensity == null) {
      return 0;
    }
    return intensity * Math.max(0, 1 - distance / atrPct / LIQ_REACH_ATR);
  }

  private static String side(String what, String where, String pulls, Double distance, Double intensity, double atrPct, double pull) {
    if (distance == null || intensity == null) {
      return "no strong " + what + " " + where;
    }
    return String.format(Locale.ROOT, "%s %.2f%% %s (%.1f ATR, intensity %.2f) %s", what, 100 * distance, where, distance / atrPct, intensity, pull > 0 ? String.format(Locale.ROOT, "%s %.2f", pulls, pull) : "out of reach");
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
