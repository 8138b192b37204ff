package ai.zmarty.http;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** User ids as they appear in tokens and bodies: only the canonical 8-4-4-4-12 hex form. */
final class Uuids {
  private static final Pattern CANONICAL = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Uuids() {}

  /** The UUID, or empty for anything else ({@link UUID#fromString} also takes {@code 1-1-1-1-1}). */
  static Optional<UUID> canonical(Object value) {
    return value instanceof String s && CANONICAL.matcher(s).matches() ? Optional.of(UUID.fromString(s)) : Optional.empty();
  }
}
