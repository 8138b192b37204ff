package ai.zmarty.market;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;

/**
 * Hyperliquid's live figures from its info API: the mid from {@code allMids}, the book from
 * {@code l2Book}, the perpetual's figures from {@code metaAndAssetCtxs} and {@code predictedFundings}
 * (both kept 5 s, every coin at once). None of these answers but {@code l2Book} carries a time, so
 * they are stamped with the time they were asked for (the contexts may be up to 5 s older).
 */
final class HyperliquidLive implements LiveMarket {
  private final HyperliquidMarket market;
  private final MarketDataProvider candles;
  private final Clock wall;

  HyperliquidLive(HyperliquidMarket market, MarketDataProvider candles, Clock wall) {
    this.market = market;
    this.candles = candles;
    this.wall = wall;
  }

  @Override
  public String provider() {
    return "hyperliquid";
  }

  @Override
  public String version() {
    return "info-api";
  }

  @Override
  public MarketDataProvider candles() {
    return candles;
  }

  @Override
  public Future<Quote> quote(String symbol) {
    String coin = coin(symbol);
    if (coin == null) {
      return Future.succeededFuture();
    }
    return market.allMids().map(mids -> mids.containsKey(coin) ? new Quote(mids.get(coin), wall.instant()) : null);
  }

  @Override
  public Future<Book> book(String symbol, int depth) {
    String coin = coin(symbol);
    if (coin == null) {
      return Future.succeededFuture();
    }
    return market.l2Book(coin).map(b -> new Book(b.time(), levels(b.bids(), depth), levels(b.asks(), depth)));
  }

  /** The predicted funding is optional: when {@code predictedFundings} fails the rest still stands (predicted null). */
  @Override
  public Future<Derivatives> derivatives(String symbol) {
    String coin = coin(symbol);
    if (coin == null) {
      return Future.succeededFuture();
    }
    Future<java.util.Map<String, Double>> predicted = market.predictedFundings().recover(err -> Future.succeededFuture(java.util.Map.of()));
    return market.assetContext(coin)
        .map(c -> (HyperliquidMarket.AssetContext) c)
        .recover(err -> err instanceof IllegalArgumentException ? Future.succeededFuture(null) : Future.failedFuture(err))
        .compose(c -> c == null ? Future.succeededFuture(null) : predicted.map(p -> new Derivatives(c.funding(), p.get(coin), c.openInterest(), c.markPx(), c.dayNtlVlm(), c.premium(), wall.instant())));
  }

  private static List<Level> levels(List<HyperliquidMarket.BookLevel> side, int depth) {
    return side.stream().limit(depth).map(l -> new Level(l.px(), l.sz())).toList();
  }

  /** The coin, or null for a pair Hyperliquid cannot list (not quoted in USD, or not a symbol). */
  private static String coin(String symbol) {
    try {
      return Symbols.hyperliquidCoin(symbol);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
