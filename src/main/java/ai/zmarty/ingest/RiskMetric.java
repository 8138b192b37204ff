package ai.zmarty.ingest;

import java.time.Instant;

/**
 * One {@code risk_metric} row. Volatility is annualised, the others are fractions: {@code atrPct}
 * 0.012 means ATR is 1.2 % of the close; {@code drawdown} 0.08 means the deepest fall from a peak
 * in the window was 8 %. {@code volatilityLong} is the annualised volatility over the longer
 * window ({@link RiskMetrics#LONG_WINDOW} bars), the pair's own norm.
 */
public record RiskMetric(Instant barTime, double volatility, Double atrPct, double drawdown, double riskScore, double volatilityLong) {}
