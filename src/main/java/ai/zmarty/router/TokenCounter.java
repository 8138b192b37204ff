package ai.zmarty.router;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/** Counts tokens the way OpenAI-style models do (o200k_base), for prompts and unreported usage. */
public final class TokenCounter {
  /** Loading the encoding takes seconds; it is immutable, so one per JVM serves every counter. */
  private static final class Shared {
    static final Encoding ENCODING = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  private final Encoding encoding = Shared.ENCODING;

  public int count(String text) {
    return text == null || text.isEmpty() ? 0 : encoding.countTokens(text);
  }
}
