package ai.zmarty.ops;

import java.util.Locale;

/** How a check (or the whole system) is doing, best first; {@link #worst} orders them. */
public enum Status {
  HEALTHY("✓"),
  WARNING("⚠"),
  CRITICAL("✗");

  private final String mark;

  Status(String mark) {
    this.mark = mark;
  }

  public String mark() {
    return mark;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Status worst(Status a, Status b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
