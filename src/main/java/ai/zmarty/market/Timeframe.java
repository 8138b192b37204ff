package ai.zmarty.market;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A bar length the workers compute, by its exchange label ({@code 1h}). Bars are aligned to the
 * Unix epoch in UTC, as exchanges align them: a 4h bar opens at 00:00, 04:00, … and a 1d bar at
 * midnight UTC.
 */
public enum Timeframe {
  M1("1m", Duration.ofMinutes(1)),
  M5("5m", Duration.ofMinutes(5)),
  M15("15m", Duration.ofMinutes(15)),
  M30("30m", Duration.ofMinutes(30)),
  H1("1h", Duration.ofHours(1)),
  H4("4h", Duration.ofHours(4)),
  D1("1d", Duration.ofDays(1));

  private static final double DAYS_PER_YEAR = 365.0; // crypto trades every day

  private final String label;
  private final Duration duration;

  Timeframe(String label, Duration duration) {
    this.label = label;
    this.duration = duration;
  }

  /** Parses a label such as {@code 1h}; the message lists the known ones. */
  public static Timeframe parse(String label) {
    if (label != null) {
      String wanted = label.trim().toLowerCase(Locale.ROOT);
      for (Timeframe t : values()) {
        if (t.label.equals(wanted)) {
          return t;
        }
      }
    }
    throw new IllegalArgumentException("unknown timeframe '" + label + "' (known: " + Arrays.stream(values()).map(Timeframe::label).toList() + ")");
  }

  /** The timeframe whose label is exactly {@code label} (no trimming, no case folding). */
  public static Optional<Timeframe> exactly(String label) {
    return Arrays.stream(values()).filter(t -> t.label.equals(label)).findFirst();
  }

  /** Every label, shortest bar first: {@code 1m, 5m, …, 1d}. */
  public static String labels() {
    return String.join(", ", Arrays.stream(values()).map(Timeframe::label).toList());
  }

  public String label() {
    return label;
  }

  public Duration duration() {
    return duration;
  }

  public long millis() {
    return duration.toMillis();
  }

  /** The open time of the bar that contains {@code t} (t itself when it is a bar boundary). */
  public Instant alignDown(Instant t) {
    return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), millis()) * millis());
  }

  /** The first bar boundary at or after {@code t}. */
  public Instant alignUp(Instant t) {
    Instant down = alignDown(t);
    return down.equals(t) ? down : down.plus(duration);
  }

  /** When the bar opening at {@code open} closes (and the next one opens). */
  public Instant closeOf(Instant open) {
    return open.plus(duration);
  }

  /**
   * The open time just past the newest bar that is closed at {@code now}: every bar opening before
   * it has its close time ≤ now. Use it as the exclusive end of a window of closed bars.
   */
  public Instant closedUntil(Instant now) {
    return alignDown(now);
  }

  /** Bars in a (365-day) year, to annualise per-bar statistics. */
  public double barsPerYear() {
    return DAYS_PER_YEAR * Duration.ofDays(1).toMillis() / millis();
  }

  @Override
  public String toString() {
    return label;
  }
}
