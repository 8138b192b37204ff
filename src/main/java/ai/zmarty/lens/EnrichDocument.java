package ai.zmarty.lens;

import ai.zmarty.market.Candle;
import ai.zmarty.market.LiveMarket;
import ai.zmarty.market.Timeframe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The columns of one {@code lens.enriched_events} row, built from a {@link MarketSnapshot} for a
 * profile: {@code market} (ticker, and a summary of each timeframe's bars), {@code ta} and {@code
 * levels} per timeframe, {@code derivatives}, {@code orderbook} (top levels, sizes, imbalance),
 * {@code data_timestamps} (when each component's data was true), {@code quality_flags}. A
 * component the profile does not ask for is an empty object. Pure.
 */
public record EnrichDocument(JsonObject market, JsonObject ta, JsonObject levels, JsonObject derivatives, JsonObject orderbook, JsonObject dataTimestamps, JsonObject qualityFlags) {

  public static EnrichDocument build(FeatureProfile p, MarketSnapshot s, QualityFlags quality) {
    return build(p, s, quality, new EnrichTa.Memo(0));
  }

  /** The same, taking each timeframe's TA from {@code ta} (computed once per list of bars). */
  public static EnrichDocument build(FeatureProfile p, MarketSnapshot s, QualityFlags quality, EnrichTa.Memo ta) {
    JsonObject timestamps = new JsonObject().put("ticker", s.quote().at().toString());
    JsonObject candles = new JsonObject();
    JsonObject taByTf = new JsonObject();
    JsonObject levels = new JsonObject();
    for (Timeframe tf : p.timeframes()) {
      List<Candle> bars = s.candles().getOrDefault(tf, List.of());
      if (!bars.isEmpty()) {
        Candle last = bars.get(bars.size() - 1);
        candles.put(tf.label(), new JsonObject().put("bars", bars.size()).put("first_open", bars.get(0).openTime().toString()).put("last_open", last.openTime().toString()).put("last_close", last.close()));
        timestamps.put("candles." + tf.label(), tf.closeOf(last.openTime()).toString());
      }
      if (p.ta()) {
        JsonObject t = ta.of(tf, bars);
        if (t != null) {
          taByTf.put(tf.label(), t);
        }
      }
      if (p.levels() && !bars.isEmpty()) {
        levels.put(tf.label(), LevelsFinder.find(bars, s.quote().mid()));
      }
    }
    JsonObject market = new JsonObject().put("ticker", ticker(s)).put("candles", candles);
    JsonObject derivatives = new JsonObject();
    if (p.derivatives() && s.derivatives() != null) {
      LiveMarket.Derivatives d = s.derivatives();
      derivatives
          .put("funding_1h", d.funding())
          .put("predicted_funding_1h", d.predictedFunding())
          .put("open_interest", d.openInterest())
          .put("open_interest_usd", d.openInterestUsd())
          .put("mark_px", d.markPx())
          .put("premium", d.premium())
          .put("day_notional_volume", d.dayNotionalVolume());
      timestamps.put("derivatives", d.at().toString());
    }
    JsonObject orderbook = new JsonObject();
    if (p.orderbook() && s.book() != null) {
      orderbook = orderbook(s.book());
      timestamps.put("orderbook", s.book().time().toString());
    }
    return new EnrichDocument(market, taByTf, levels, derivatives, orderbook, timestamps, quality.assess(p, s, taByTf));
  }

  private static JsonObject ticker(MarketSnapshot s) {
    JsonObject t = new JsonObject().put("mid", s.quote().mid()).put("bid", s.bid()).put("ask", s.ask());
    if (s.bid() != null && s.ask() != null) {
      double spread = s.ask() - s.bid();
      t.put("spread", spread).put("spread_pct", spread / s.quote().mid() * 100);
    }
    return t;
  }

  /** Top levels as [px, sz] pairs; sizes summed a side; imbalance (bid − ask) / (bid + ask) over those levels. */
  static JsonObject orderbook(LiveMarket.Book book) {
    double bidSize = book.bids().stream().mapToDouble(LiveMarket.Level::sz).sum();
    double askSize = book.asks().stream().mapToDouble(LiveMarket.Level::sz).sum();
    double total = bidSize + askSize;
    return new JsonObject()
        .put("bids", levels(book.bids()))
        .put("asks", levels(book.asks()))
        .put("bid_size", bidSize)
        .put("ask_size", askSize)
        .put("imbalance", total > 0 ? (bidSize - askSize) / total : null)
        .put("depth", Math.max(book.bids().size(), book.asks().size()));
  }

  private static JsonArray levels(List<LiveMarket.Level> side) {
    JsonArray out = new JsonArray();
    side.forEach(l -> out.add(new JsonArray().add(l.px()).add(l.sz())));
    return out;
  }
}
