package ai.zmarty.winrate;

/**
 * The Wilson score interval for a win rate (95 %, z = 1.96): unlike the plain p ± z·σ it stays
 * inside [0, 1] and is honest about small samples. The same formula runs in SQL (WinRateSql).
 */
public record Wilson(double low, double high) {
  public static final double Z = 1.96;

  /** Null-free for n ≥ 1; with no samples there is no interval. */
  public static Wilson of(long wins, long n) {
    if (n <= 0) {
      throw new IllegalArgumentException("no samples, no interval");
    }
    double p = (double) wins / n;
    double z2 = Z * Z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denominator;
    double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
    return new Wilson(Math.max(0, centre - half), Math.min(1, centre + half));
  }
}
