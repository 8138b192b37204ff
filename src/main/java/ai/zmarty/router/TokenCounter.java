package ai.zmarty.router;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/** Counts tokens the way OpenAI-style models do (o200k_base), for prompts and unreported usage. */
public final class TokenCounter {
  private final Encoding encoding = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  public int count(String text) {
    return text == null || text.isEmpty() ? 0 : encoding.countTokens(text);
  }
}
