package ai.zmarty.lens;

import ai.zmarty.config.LensEnrichConfig;
import ai.zmarty.market.Candle;
import ai.zmarty.market.LiveMarket;
import ai.zmarty.market.Timeframe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The quality flags of what enrichment gathered, per component the profile asks for: {@code
 * ticker}, {@code orderbook}, {@code derivatives}, {@code ta.<tf>}, {@code levels.<tf>}. Each
 * component gets a list (empty when clean) of: {@code missing} (no data), {@code stale} (older
 * than its threshold: {@code LENS_STALE_TICKER}, {@code _BOOK}, {@code _DERIVATIVES}, candles
 * {@code LENS_STALE_CANDLE_BARS} bars), and the out-of-range ones: {@code crossed_book} (best bid
 * at or above best ask), {@code spread_too_wide} (over {@code LENS_MAX_SPREAD_PCT} of the mid),
 * {@code no_bid_ask} (the ticker without a book), {@code rsi_out_of_range} (RSI outside 0–100),
 * {@code atr_not_positive} (ATR ≤ 0), {@code insufficient_history} (too few bars for the
 * indicators to settle), {@code predicted_funding_missing}. Pure.
 */
public final class QualityFlags {
  private final LensEnrichConfig config;

  public QualityFlags(LensEnrichConfig config) {
    this.config = config;
  }

  /** Every asked-for component's flags, given the snapshot and each timeframe's TA (null: no bars). */
  public JsonObject assess(FeatureProfile profile, MarketSnapshot s, JsonObject taByTf) {
    JsonObject out = new JsonObject();
    out.put("ticker", ticker(s));
    if (profile.orderbook()) {
      out.put("orderbook", book(s.book(), s.takenAt()));
    }
    if (profile.derivatives()) {
      out.put("derivatives", derivatives(s.derivatives(), s.takenAt()));
    }
    for (Timeframe tf : profile.timeframes()) {
      List<Candle> bars = s.candles().getOrDefault(tf, List.of());
      if (profile.ta()) {
        out.put("ta." + tf.label(), ta(tf, bars, taByTf.getJsonObject(tf.label()), s.takenAt()));
      }
      if (profile.levels()) {
        out.put("levels." + tf.label(), candles(tf, bars, s.takenAt()));
      }
    }
    return out;
  }

  JsonArray ticker(MarketSnapshot s) {
    JsonArray flags = new JsonArray();
    if (stale(s.quote().at(), s.takenAt(), config.stale().ticker())) {
      flags.add("stale");
    }
    Double bid = s.bid();
    Double ask = s.ask();
    if (bid == null || ask == null) {
      flags.add("no_bid_ask");
    } else if (bid >= ask) {
      flags.add("crossed_book");
    } else if ((ask - bid) / s.quote().mid() * 100 > config.maxSpreadPct()) {
      flags.add("spread_too_wide");
    }
    return flags;
  }

  JsonArray book(LiveMarket.Book book, Instant now) {
    JsonArray flags = new JsonArray();
    if (book == null || book.bids().isEmpty() || book.asks().isEmpty()) {
      return flags.add("missing");
    }
    if (stale(book.time(), now, config.stale().book())) {
      flags.add("stale");
    }
    if (book.bids().get(0).px() >= book.asks().get(0).px()) {
      flags.add("crossed_book");
    }
    return flags;
  }

  JsonArray derivatives(LiveMarket.Derivatives d, Instant now) {
    JsonArray flags = new JsonArray();
    if (d == null) {
      return flags.add("missing");
    }
    if (stale(d.at(), now, config.stale().derivatives())) {
      flags.add("stale");
    }
    if (d.predictedFunding() == null) {
      flags.add("predicted_funding_missing");
    }
    if (d.markPx() <= 0 || d.openInterest() < 0) {
      flags.add("out_of_range");
    }
    return flags;
  }

  JsonArray ta(Timeframe tf, List<Candle> bars, JsonObject ta, Instant now) {
    JsonArray flags = candles(tf, bars, now);
    if (ta == null) {
      return flags;
    }
    if (!ta.getBoolean("warm", false)) {
      flags.add("insufficient_history");
    }
    Double rsi = ta.getDouble("rsi_14");
    if (rsi != null && (rsi < 0 || rsi > 100 || rsi.isNaN())) {
      flags.add("rsi_out_of_range");
    }
    Double atr = ta.getDouble("atr_14");
    if (atr != null && !(atr > 0)) {
      flags.add("atr_not_positive");
    }
    return flags;
  }

  /** {@code missing} without bars; {@code stale} when the last bar closed more than the allowed bars ago. */
  JsonArray candles(Timeframe tf, List<Candle> bars, Instant now) {
    JsonArray flags = new JsonArray();
    if (bars.isEmpty()) {
      return flags.add("missing");
    }
    Instant lastClose = tf.closeOf(bars.get(bars.size() - 1).openTime());
    if (stale(lastClose, now, tf.duration().multipliedBy(config.stale().candleBars()))) {
      flags.add("stale");
    }
    return flags;
  }

  private static boolean stale(Instant at, Instant now, Duration threshold) {
    return Duration.between(at, now).compareTo(threshold) > 0;
  }
}
