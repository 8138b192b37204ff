package ai.zmarty.credit;

import java.util.Locale;

/** A user's plan; it bounds how many tokens one answer may use. */
public enum Tier {
  FREE(1024),
  PRO(4096),
  ENTERPRISE(8192);

  private final int maxTokens;

  Tier(int maxTokens) {
    this.maxTokens = maxTokens;
  }

  public int maxTokens() {
    return maxTokens;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Tier of(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
