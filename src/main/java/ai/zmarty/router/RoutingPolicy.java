package ai.zmarty.router;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which providers to try for a message, in order (the seed's rules): a message that mentions
 * "tools" or "analyze deeply" goes to GPT first, every other to Grok first; then the rest of Grok →
 * GPT → Claude (→ Gemini). Providers without a key and providers whose breaker is open are left
 * out; each appears at most once. With no real provider configured at all, the offline analyst.
 */
public final class RoutingPolicy {
  public static final List<String> DEFAULT_ORDER = List.of("grok", "gpt", "claude", "gemini");
  public static final List<String> DEEP_ORDER = List.of("gpt", "grok", "claude", "gemini");

  private final Set<String> configured;

  /** {@code configured}: the real providers that have a key. */
  public RoutingPolicy(Collection<String> configured) {
    this.configured = Set.copyOf(configured);
  }

  public static boolean wantsDeepAnalysis(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("tools") || m.contains("analyze deeply");
  }

  /**
   * The candidates for {@code message}, skipping those in {@code open} (breaker open). Empty when
   * providers are configured but none can be tried now: the caller answers 503.
   */
  public List<String> candidates(String message, Set<String> open) {
    if (configured.isEmpty()) {
      return List.of(OfflineAnalyst.NAME);
    }
    List<String> out = new ArrayList<>();
    for (String p : wantsDeepAnalysis(message) ? DEEP_ORDER : DEFAULT_ORDER) {
      if (configured.contains(p) && !open.contains(p)) {
        out.add(p);
      }
    }
    return List.copyOf(out);
  }
}
