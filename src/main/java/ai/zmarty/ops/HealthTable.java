package ai.zmarty.ops;

import ai.zmarty.ops.SystemHealth.Check;

/**
 * Renders a {@link SystemHealth} as the text table {@code zmarty health} prints: one line per
 * check with ✓ ⚠ ✗, its time and message; ANSI colours only when asked (a terminal).
 */
public final class HealthTable {
  private static final String RESET = "\u001b[0m";

  private HealthTable() {}

  public static String render(SystemHealth health, boolean colour) {
    int width = "check".length();
    for (Check c : health.checks()) {
      width = Math.max(width, c.name().length());
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format("   %-" + width + "s  %-8s  %7s  %s%n", "check", "status", "time", "message"));
    for (Check c : health.checks()) {
      String line = String.format("%s  %-" + width + "s  %-8s  %5dms  %s", c.status().mark(), c.name(), c.status().wire(), c.ms(), c.message());
      out.append(colour ? colourOf(c.status()) + line + RESET : line).append(System.lineSeparator());
    }
    String total = String.format("overall: %s %s (%d checks in %d ms)", health.status().mark(), health.status().wire(), health.checks().size(), health.elapsedMs());
    out.append(colour ? colourOf(health.status()) + total + RESET : total).append(System.lineSeparator());
    return out.toString();
  }

  private static String colourOf(Status s) {
    return switch (s) {
      case HEALTHY -> "\u001b[32m";
      case WARNING -> "\u001b[33m";
      case CRITICAL -> "\u001b[31m";
    };
  }
}
