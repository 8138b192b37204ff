package ai.zmarty.lens;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The offline judge: deterministic rules over the enriched payload, no key, no network. The same
 * signal and payload always give the same decision.
 *
 * <p>Per timeframe of {@code ta} the trend is up when EMA 9 > 21 > 50, down when 9 < 21 < 50.
 * {@code agree}/{@code against} are the shares of timeframes trending with/against the signal's
 * direction. Penalties: RSI (of the shortest timeframe that has one) beyond 70 for a long or under
 * 30 for a short (0.3), hourly funding crowding the same side beyond ±0.01 % (0.2), each component with
 * quality flags (0.1). {@code score = agree − against − penalties}. Decision: no timeframe with a
 * trend → IGNORE (confidence 0.3); {@code against ≥ 2/3} → IGNORE; {@code score ≥ 0.5} with RSI
 * not stretched → ENTER; else WAIT. Confidence {@code clamp(0.5 + |score|/2, 0.05, 0.95)}. The stop
 * is 1.5 ATR (of the longest timeframe that has one; 1 % of the entry without) beyond the entry,
 * targets 1.5 and 3 ATR; size {@code 5 × confidence} % when entering, else 0.
 */
public final class OfflineEvaluator {
  public static final String NAME = "offline";
  /** Stored as the decision's prompt version: the rules' version, bumped whenever they change. */
  public static final String VERSION = "offline-rules-v1";
  /** SHA-256 of {@link #VERSION}: the offline rules have no prompt text, so the hash names the rules. */
  public static final String HASH = PromptTemplates.sha256(VERSION);

  static final double RSI_HIGH = 70;
  static final double RSI_LOW = 30;
  /** 0.01 % an hour (Hyperliquid pays funding hourly; its usual rate is 0.00125 %): crowded. */
  static final double FUNDING_CROWDED = 0.0001;

  public ModelDecision evaluate(JsonObject signal, JsonObject payload) {
    boolean isLong = !"short".equals(signal.getString("direction", "long").toLowerCase(Locale.ROOT));
    Double entryPrice = number(signal, "entry_price");
    double entry = entryPrice == null ? 0 : entryPrice;
    JsonObject ta = object(payload, "ta", "timeframes");
    List<String> reasons = new ArrayList<>();

    int with = 0;
    int opposed = 0;
    int trended = 0;
    Double rsi = null;
    Double atr = null;
    // shortest timeframe first (jsonb does not keep the order keys were written in)
    List<String> timeframes = ta.fieldNames().stream().sorted(java.util.Comparator.comparing(OfflineEvaluator::millis).thenComparing(k -> k)).toList();
    for (String tf : timeframes) {
      if (!(ta.getValue(tf) instanceof JsonObject t)) {
        continue;
      }
      Double fast = number(t, "ema9", "ema_9");
      Double mid = number(t, "ema21", "ema_21");
      Double slow = number(t, "ema50", "ema_50");
      if (fast != null && mid != null && slow != null) {
        trended++;
        int trend = fast > mid && mid > slow ? 1 : fast < mid && mid < slow ? -1 : 0;
        if (trend == (isLong ? 1 : -1)) {
          with++;
        } else if (trend == (isLong ? -1 : 1)) {
          opposed++;
        }
      }
      Double r = number(t, "rsi", "rsi14", "rsi_14");
      if (rsi == null && r != null) {
        rsi = r; // the shortest timeframe's
      }
      Double a = number(t, "atr", "atr14", "atr_14");
      if (a != null && a > 0) {
        atr = a; // the last one wins: the longest timeframe
      }
    }
    double unit = atr != null ? atr : entry * 0.01;
    if (trended == 0) {
      return decide(ModelDecision.IGNORE, 0.3, isLong, entry, unit, List.of("no timeframe has EMA 9/21/50: nothing to judge the trend on"));
    }
    double agree = (double) with / trended;
    double against = (double) opposed / trended;
    reasons.add(String.format(Locale.ROOT, "%d of %d timeframes trend with the %s, %d against", with, trended, isLong ? "long" : "short", opposed));

    double penalty = 0;
    boolean stretched = rsi != null && (isLong ? rsi > RSI_HIGH : rsi < RSI_LOW);
    if (stretched) {
      penalty += 0.3;
      reasons.add(String.format(Locale.ROOT, "RSI %.1f is %s", rsi, isLong ? "overbought" : "oversold"));
    }
    Double funding = number(object(payload, "derivatives"), "funding_1h", "funding", "funding_rate");
    if (funding == null) {
      funding = number(payload, "funding_1h", "funding", "funding_rate");
    }
    if (funding != null && (isLong ? funding > FUNDING_CROWDED : funding < -FUNDING_CROWDED)) {
      penalty += 0.2;
      reasons.add(String.format(Locale.ROOT, "funding %.4f%% an hour shows %s crowded", funding * 100, isLong ? "longs" : "shorts"));
    }
    List<String> flagged = flaggedComponents(object(payload, "quality_flags", "quality"));
    if (!flagged.isEmpty()) {
      penalty += 0.1 * flagged.size();
      reasons.add("quality flags on " + String.join(", ", flagged));
    }
    double score = agree - against - penalty;
    double confidence = clamp(0.5 + Math.abs(score) / 2, 0.05, 0.95);
    String decision = against >= 2.0 / 3 ? ModelDecision.IGNORE : score >= 0.5 && !stretched ? ModelDecision.ENTER : ModelDecision.WAIT;
    return decide(decision, confidence, isLong, entry, unit, reasons);
  }

  private static ModelDecision decide(String decision, double confidence, boolean isLong, double entry, double atr, List<String> reasons) {
    double sign = isLong ? 1 : -1;
    double c = round(confidence, 2);
    JsonObject entryPlan = decision.equals(ModelDecision.WAIT)
        ? new JsonObject().put("order_type", "limit").put("price", round(entry - sign * 0.5 * atr, 8)) // a pullback of half an ATR
        : new JsonObject().put("order_type", "market").put("price", entry);
    JsonObject riskPlan = new JsonObject().put("stop", round(Math.max(0, entry - sign * 1.5 * atr), 8))
        .put("targets", new JsonArray().add(round(Math.max(0, entry + sign * 1.5 * atr), 8)).add(round(Math.max(0, entry + sign * 3 * atr), 8)));
    double size = decision.equals(ModelDecision.ENTER) ? round(5 * c, 2) : 0;
    return new ModelDecision(decision, c, entryPlan, riskPlan, size, List.copyOf(reasons));
  }

  /** Components whose flags are a non-empty list, a true value, or an object with any of those. */
  private static List<String> flaggedComponents(JsonObject flags) {
    List<String> out = new ArrayList<>();
    for (String component : flags.fieldNames()) {
      if (flagged(flags.getValue(component))) {
        out.add(component);
      }
    }
    return out;
  }

  private static boolean flagged(Object v) {
    if (v instanceof JsonArray a) {
      return !a.isEmpty();
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof JsonObject o) {
      return o.stream().anyMatch(e -> flagged(e.getValue()));
    }
    return v instanceof String s && !s.isBlank();
  }

  private static long millis(String label) {
    return ai.zmarty.market.Timeframe.exactly(label).map(ai.zmarty.market.Timeframe::millis).orElse(Long.MAX_VALUE);
  }

  private static JsonObject object(JsonObject json, String... keys) {
    for (String k : keys) {
      if (json != null && json.getValue(k) instanceof JsonObject o) {
        return o;
      }
    }
    return new JsonObject();
  }

  private static Double number(JsonObject json, String... keys) {
    for (String k : keys) {
      if (json.getValue(k) instanceof Number n && Double.isFinite(n.doubleValue())) {
        return n.doubleValue();
      }
      if (json.getValue(k) instanceof String s) {
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException ignored) {
          // not a number: as if absent
        }
      }
    }
    return null;
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static double round(double v, int places) {
    return java.math.BigDecimal.valueOf(v).setScale(places, java.math.RoundingMode.HALF_UP).doubleValue();
  }
}
