package ai.zmarty.signal;

import java.util.Locale;

/** Which way a signal points; stored and sent in lower case. */
public enum Direction {
  LONG,
  SHORT,
  FLAT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Direction fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
