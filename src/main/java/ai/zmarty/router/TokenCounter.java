package ai.zmarty.router;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.LinkedHashMap;
import java.util.Map;

/** Counts tokens the way OpenAI-style models do (o200k_base), for prompts and unreported usage. */
public final class TokenCounter {
  /** Loading an encoding takes seconds; it is immutable, so one per JVM serves every counter (and only o200k is loaded). */
  private static final class Shared {
    static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  /** How many system texts keep their count; users who watch the same pairs share one. */
  static final int REMEMBERED_SYSTEM_TEXTS = 1024;

  private final Encoding encoding = Shared.ENCODING;
  private final Map<String, Integer> systemCounts = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > REMEMBERED_SYSTEM_TEXTS;
    }
  };

  public int count(String text) {
    return text == null || text.isEmpty() ? 0 : encoding.countTokens(text);
  }

  /**
   * The input tokens of a prompt: the sum of its pieces' counts (system, each earlier turn, the
   * question, each after a blank line), which is {@code count(prompt.billedText())} or at most one
   * token more per piece where whitespace at a seam would have merged — never less, so a hold made
   * from it covers the prompt. The system text (instructions and the market context) is the same for
   * everyone watching the same pairs until the next signal, so its count is remembered; counting it
   * on every chat was a tenth of the gateway's CPU under load.
   */
  public int count(Prompt prompt) {
    Integer system;
    synchronized (systemCounts) {
      system = systemCounts.get(prompt.system());
    }
    if (system == null) {
      system = count(prompt.system());
      synchronized (systemCounts) {
        systemCounts.put(prompt.system(), system);
      }
    }
    int total = system;
    for (PromptBuilder.Turn t : prompt.history()) {
      total += count("\n\n" + t.content());
    }
    return total + count("\n\n" + prompt.user());
  }
}
