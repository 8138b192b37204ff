package ai.zmarty.ingest;

import java.time.Instant;

/**
 * What ingest stores for one bar: its close, its indicator values and whether enough bars
 * preceded it ({@link IndicatorCalculator#WARM_BARS}) for ta4j's recursive indicators to have
 * converged.
 */
public record IndicatorBar(Instant barTime, double close, IndicatorValues values, boolean warm, int barsBefore) {}
