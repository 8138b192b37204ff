package ai.zmarty.market;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A provider whose answers arrive {@code latency} late, as an exchange's would: the simulated
 * market is instant, which hides what slow jobs do to the queue (visibility timeouts, a worker
 * killed mid-job). The wait is a timer, never a blocked thread.
 */
public final class DelayedMarket implements MarketDataProvider {
  private final MarketDataProvider inner;
  private final Duration latency;

  public DelayedMarket(MarketDataProvider inner, Duration latency) {
    this.inner = inner;
    this.latency = latency;
  }

  /** The provider whose answers are delayed. */
  MarketDataProvider inner() {
    return inner;
  }

  @Override
  public Future<List<Candle>> candles(String symbol, String timeframe, Instant fromInclusive, Instant toExclusive) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return inner.candles(symbol, timeframe, fromInclusive, toExclusive);
    }
    return context.owner().timer(latency.toMillis()).compose(v -> inner.candles(symbol, timeframe, fromInclusive, toExclusive));
  }

  @Override
  public Future<CandleQuality.Report> checkedCandles(String symbol, String timeframe, Instant fromInclusive, Instant toExclusive) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return inner.checkedCandles(symbol, timeframe, fromInclusive, toExclusive);
    }
    return context.owner().timer(latency.toMillis()).compose(v -> inner.checkedCandles(symbol, timeframe, fromInclusive, toExclusive));
  }

  @Override
  public Future<Double> openInterestNotional(String symbol) {
    return inner.openInterestNotional(symbol);
  }

  @Override
  public Future<Boolean> lists(String symbol, String timeframe) {
    return inner.lists(symbol, timeframe);
  }

  @Override
  public Clock clock(Clock wall) {
    return inner.clock(wall);
  }
}
