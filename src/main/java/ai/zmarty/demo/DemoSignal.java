package ai.zmarty.demo;

import ai.zmarty.config.MarketConfig;
import ai.zmarty.market.LiveMarket;
import ai.zmarty.market.LiveMarkets;
import ai.zmarty.market.MarketProviders;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trade signal the demo's source posts: an OPEN_SIGNAL long on {@code symbol}, priced at the
 * mid the enrichment worker's {@link LiveMarket} quotes (so it passes the {@code price_drift}
 * check), as a request and as the curl line the demo prints. The curl line stamps {@code ts_utc}
 * with the shell's clock when it runs ({@code $(date -u …)}), so a line pasted minutes later is
 * not {@code stale}.
 *
 * @param url the intake route, {@code <base>/api/v1/signals}
 * @param key the demo source's API key
 */
public record DemoSignal(String url, String key, String symbol, BigDecimal entryPrice) {
  /** What the curl line puts where {@code ts_utc} goes: the shell's UTC time, to the second. */
  static final String SHELL_NOW = "'\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"'";
  private static final String TS_SLOT = "\u0000ts\u0000";

  /**
   * The demo signal for {@code symbol}, priced at the mid that the enrichment worker of a node on
   * {@code market} sees now ({@link LiveMarkets#of} around {@code MARKET_PROVIDER}'s candles).
   */
  public static Future<DemoSignal> quoted(Vertx vertx, MarketConfig market, String base, String key, String symbol) {
    LiveMarket live = LiveMarkets.of(MarketProviders.create(vertx, market, Clock.systemUTC()), market, Clock.systemUTC());
    return live.quote(symbol).compose(q -> q == null
        ? Future.failedFuture(new IllegalStateException("the market (" + live.provider() + ") quotes no mid for " + symbol))
        : Future.succeededFuture(new DemoSignal(base + "/api/v1/signals", key, symbol, new BigDecimal(q.mid()).round(new MathContext(8)).stripTrailingZeros())));
  }

  /** The request's headers, in the order the curl line gives them. */
  public Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-API-Key", key);
    h.put("content-type", "application/json");
    return h;
  }

  /** The body posted at {@code ts} (the curl line's shell supplies its own now). */
  public JsonObject body(Instant ts) {
    return new JsonObject(bodyText().replace(TS_SLOT, ts.truncatedTo(ChronoUnit.SECONDS).toString()));
  }

  /** The line to paste into a shell: {@code curl -s URL -H … -H … -d 'BODY'}, the body's {@code ts_utc} filled in by the shell. */
  public String curl() {
    StringBuilder line = new StringBuilder("curl -s ").append(url);
    headers().forEach((name, value) -> line.append(" -H '").append(name).append(": ").append(value).append('\''));
    return line.append(" -d '").append(bodyText().replace(TS_SLOT, SHELL_NOW)).append('\'').toString();
  }

  private String bodyText() {
    return "{\"event_type\":\"OPEN_SIGNAL\",\"symbol\":\"" + symbol + "\",\"signal_direction\":\"long\",\"entry_price\":" + entryPrice.toPlainString()
        + ",\"ts_utc\":\"" + TS_SLOT + "\",\"source\":\"" + DemoSeed.DEMO_SOURCE + "\"}";
  }
}
