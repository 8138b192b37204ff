package ai.zmarty.lens;

import ai.zmarty.market.Timeframe;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;

/**
 * The compact payload the models see (stored as {@code enriched_events.model_payload}): the
 * signal, the ticker, per timeframe the TA figures that matter and the trend, the derivatives, the
 * book's imbalance, the nearest levels, and the quality flags that were raised. Numbers keep six
 * significant digits. It must stay under {@value #MAX_BYTES} bytes of JSON: when levels make it
 * longer they are cut to the nearest one a side, then dropped. Pure.
 */
public final class EnrichPayload {
  public static final int MAX_BYTES = 4096;

  private EnrichPayload() {}

  public static JsonObject build(EnrichEvent e, FeatureProfile p, EnrichDocument d, double ageSeconds) {
    JsonObject signal = new JsonObject().put("symbol", e.symbol()).put("event_type", e.eventType()).put("direction", e.direction()).put("entry_price", round(e.entryPrice())).put("age_s", round(ageSeconds));
    if (e.size() != null) {
      signal.put("size", round(e.size()));
    }
    if (e.liquidationPrice() != null) {
      signal.put("liquidation_price", round(e.liquidationPrice()));
    }
    JsonObject ticker = d.market().getJsonObject("ticker");
    JsonObject out = new JsonObject().put("profile", p.name()).put("signal", signal).put("ticker", compact(ticker, "mid", "bid", "ask", "spread_pct"));
    if (p.ta()) {
      JsonObject ta = new JsonObject();
      for (Timeframe tf : p.timeframes()) {
        JsonObject t = d.ta().getJsonObject(tf.label());
        if (t != null) {
          ta.put(tf.label(), compact(t, "close", "ema_9", "ema_21", "ema_50", "macd_hist", "rsi_14", "atr_14").put("trend", EnrichTa.trend(t)));
        }
      }
      out.put("ta", ta);
    }
    if (p.derivatives() && !d.derivatives().isEmpty()) {
      out.put("derivatives", compact(d.derivatives(), "funding_1h", "predicted_funding_1h", "open_interest_usd", "mark_px", "premium", "day_notional_volume"));
    }
    if (p.orderbook() && !d.orderbook().isEmpty()) {
      out.put("orderbook", compact(d.orderbook(), "imbalance", "bid_size", "ask_size"));
    }
    JsonObject flags = new JsonObject();
    d.qualityFlags().forEach(c -> {
      if (c.getValue() instanceof io.vertx.core.json.JsonArray a && !a.isEmpty()) {
        flags.put(c.getKey(), a.copy());
      }
    });
    out.put("quality", flags);
    if (p.levels()) {
      out.put("levels", nearest(d.levels(), Integer.MAX_VALUE));
      if (bytes(out) > MAX_BYTES) {
        out.put("levels", nearest(d.levels(), 1));
      }
      if (bytes(out) > MAX_BYTES) {
        out.remove("levels");
      }
    }
    return out;
  }

  /** Levels per timeframe, at most {@code perSide} a side, prices only. */
  private static JsonObject nearest(JsonObject levels, int perSide) {
    JsonObject out = new JsonObject();
    levels.forEach(e -> {
      JsonObject tf = (JsonObject) e.getValue();
      out.put(e.getKey(), new JsonObject()
          .put("support", tf.getJsonArray("support").stream().limit(perSide).map(l -> ((JsonObject) l).getValue("price")).toList())
          .put("resistance", tf.getJsonArray("resistance").stream().limit(perSide).map(l -> ((JsonObject) l).getValue("price")).toList()));
    });
    return out;
  }

  private static JsonObject compact(JsonObject from, String... keys) {
    JsonObject out = new JsonObject();
    for (String k : keys) {
      Object v = from.getValue(k);
      out.put(k, v instanceof Number n ? (Object) round(n.doubleValue()) : v);
    }
    return out;
  }

  /** The payload's size as UTF-8 JSON. */
  public static int bytes(JsonObject payload) {
    return payload.encode().getBytes(StandardCharsets.UTF_8).length;
  }

  /** Six significant digits (NaN and infinities as null, which JSON cannot hold). */
  public static Double round(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return null;
    }
    return new BigDecimal(v).round(new MathContext(6)).doubleValue();
  }
}
