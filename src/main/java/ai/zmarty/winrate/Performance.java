package ai.zmarty.winrate;

import java.util.List;

/**
 * Performance of a series of trades, each given as its return (a fraction: +0.02 is +2 %), in
 * the order they were taken. Formulas (docs/performance.md): P&L = Σ r; profit factor = Σ gains ÷
 * |Σ losses|; expectancy = mean r; Sharpe = mean ÷ sample std; Sortino = mean ÷ downside
 * deviation √(Σ min(r,0)² ÷ n); Omega(0) = Σ max(r,0) ÷ Σ max(−r,0); max drawdown on the equity
 * curve Π(1 + r). Per trade, not annualised. A ratio whose denominator is zero is null.
 */
public record Performance(
    int trades, int wins, double pnl, Double profitFactor, Double expectancy, Double sharpe, Double sortino, Double omega, double maxDrawdown) {

  public static Performance of(List<Double> returns) {
    int n = returns.size();
    double sum = 0;
    double gains = 0;
    double losses = 0;
    double downsideSquares = 0;
    int wins = 0;
    double equity = 1;
    double peak = 1;
    double maxDrawdown = 0;
    for (double r : returns) {
      sum += r;
      if (r > 0) {
        gains += r;
        wins++;
      } else {
        losses += -r;
        downsideSquares += r * r;
      }
      equity *= 1 + r;
      peak = Math.max(peak, equity);
      maxDrawdown = Math.max(maxDrawdown, (peak - equity) / peak);
    }
    Double mean = n == 0 ? null : sum / n;
    Double sharpe = null;
    if (n >= 2) {
      double m = sum / n;
      double squares = 0;
      for (double r : returns) {
        squares += (r - m) * (r - m);
      }
      double std = Math.sqrt(squares / (n - 1));
      sharpe = std == 0 ? null : m / std;
    }
    Double sortino = n == 0 || downsideSquares == 0 ? null : (sum / n) / Math.sqrt(downsideSquares / n);
    return new Performance(n, wins, sum, losses == 0 ? null : gains / losses, mean, sharpe, sortino, losses == 0 ? null : gains / losses, maxDrawdown);
  }

  /** The return of one resolved signal: long gains when the exit is above the entry, short below. */
  public static double tradeReturn(String direction, double entry, double exit) {
    return switch (direction) {
      case "long" -> (exit - entry) / entry;
      case "short" -> (entry - exit) / entry;
      default -> throw new IllegalArgumentException("a " + direction + " signal is not a trade");
    };
  }
}
