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

  /** What one request may use under the per-request cap: its output-token budget and the credits held for it. */
  public record Budget(String provider, int maxTokens, long worstCase) {}

  /**
   * The largest output-token budget, at most {@code tierMaxTokens}, whose worst case at every one of
   * {@code providers} fits under {@code cap} credits; the hold is that worst case at the priciest.
   * Empty when not even one output token fits: the prompt alone plus the per-call minimum already
   * reaches the cap.
   */
  public java.util.Optional<Budget> budget(java.util.Collection<String> providers, long inputTokens, int tierMaxTokens, long cap) {
    long tokens = tierMaxTokens;
    for (String p : providers) {
      tokens = Math.min(tokens, outputTokensUnder(p, inputTokens, cap));
    }
    if (tokens < 1) {
      return java.util.Optional.empty();
    }
    int maxTokens = (int) tokens;
    String provider = priciest(providers, inputTokens, maxTokens);
    return java.util.Optional.of(new Budget(provider, maxTokens, worstCase(provider, inputTokens, maxTokens)));
  }

  /** The most output tokens a call may produce and still cost at most {@code cap}; negative when none fit. */
  public long outputTokensUnder(String provider, long inputTokens, long cap) {
    Rate r = rate(provider);
    if (cap >= Long.MAX_VALUE / 4000) {
      return Long.MAX_VALUE; // no cap worth the name
    }
    // ceil((in·ri + out·ro) / 1000) + min ≤ cap  ⇔  in·ri + out·ro ≤ (cap − min)·1000
    long room = (cap - r.minPerCall()) * 1000 - inputTokens * r.inPer1k();
    if (room < 0) {
      return -1;
    }
    return r.outPer1k() == 0 ? Long.MAX_VALUE : room / r.outPer1k();
  }

  private static long ceilDiv(long a, long b) {
    return a <= 0 ? 0 : (a + b - 1) / b;
  }
}
