package ai.zmarty.ingest;

/**
 * Where the nearest strong estimated liquidation clusters sit around one bar's close
 * ({@link LiquidationMap#proximity}): long liquidations below, short liquidations above, each as a
 * distance in fractions of the close (0.012 = 1.2 % away) and an intensity relative to the
 * strongest level on the map (0–1). A side is null when it has no cluster of at least {@link
 * LiquidationMap#STRONG}.
 */
public record LiquidationProximity(Double belowDistance, Double belowIntensity, Double aboveDistance, Double aboveIntensity) {
  public static final LiquidationProximity NONE = new LiquidationProximity(null, null, null, null);
}
