package ai.zmarty.credit;

import java.util.Map;

/**
 * Credit prices per provider, and the two sums the gateway needs: the worst case reserved before
 * a call and the exact charge after it, both {@code ceil(in/1000·in_rate + out/1000·out_rate) + min}.
 */
public record Pricing(Map<String, Rate> rates) {

  /** Credits per 1,000 input tokens, per 1,000 output tokens, and per call. */
  public record Rate(long inPer1k, long outPer1k, long minPerCall) {}

  public Rate rate(String provider) {
    Rate r = rates.get(provider);
    if (r == null) {
      throw new IllegalArgumentException("no price for provider " + provider);
    }
    return r;
  }

  /** The exact charge for a call that used these tokens. */
  public long charge(String provider, long inputTokens, long outputTokens) {
    Rate r = rate(provider);
    long thousandths = inputTokens * r.inPer1k() + outputTokens * r.outPer1k();
    return ceilDiv(thousandths, 1000) + r.minPerCall();
  }

  /** The most a call may cost: the whole prompt plus the tier's max output tokens. */
  public long worstCase(String provider, long inputTokens, int maxOutputTokens) {
    return charge(provider, inputTokens, maxOutputTokens);
  }

  /**
   * Of the providers a request may fall back through, the one whose worst case is highest: holding
   * that much means no fallback can overdraw.
   */
  public String priciest(java.util.Collection<String> providers, long inputTokens, int maxOutputTokens) {
    String best = null;
    long most = -1;
    for (String p : providers) {
      long w = worstCase(p, inputTokens, maxOutputTokens);
      if (w > most) {
        most = w;
        best = p;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("no provider to price");
    }
    return best;
  }

  private static long ceilDiv(long a, long b) {
    return a <= 0 ? 0 : (a + b - 1) / b;
  }
}
