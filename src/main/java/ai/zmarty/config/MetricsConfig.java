package ai.zmarty.config;

import java.util.Locale;

/**
 * Prometheus metrics: whether they are collected at all ({@code METRICS_ENABLED}) and the port of
 * the {@code /metrics} server on a node without the api role ({@code METRICS_PORT}; an api node
 * serves {@code /metrics} beside the API).
 */
public record MetricsConfig(boolean enabled, int port) {

  static MetricsConfig from(RawConfig raw) {
    String enabled = raw.string("METRICS_ENABLED").trim().toLowerCase(Locale.ROOT);
    if (!enabled.equals("true") && !enabled.equals("false")) {
      throw new ConfigException("METRICS_ENABLED", "must be true or false, got '" + raw.string("METRICS_ENABLED") + "'");
    }
    return new MetricsConfig(enabled.equals("true"), raw.integer("METRICS_PORT", 0, 65_535));
  }
}
