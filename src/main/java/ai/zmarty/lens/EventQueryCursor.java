package ai.zmarty.lens;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * A keyset cursor: the sort key of the last row of a page (its time and id), opaque to clients
 * (url-safe base64 of a JSON pair). The next page starts strictly after it, so rows inserted
 * meanwhile never shift or repeat a page.
 */
public record EventQueryCursor(OffsetDateTime at, String id) {
  public String encode() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(new JsonArray().add(at.toString()).add(id).encode().getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor, or empty when the text is not one this API handed out. */
  public static Optional<EventQueryCursor> decode(String text, boolean uuidId) {
    try {
      JsonArray a = new JsonArray(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
      String id = a.getString(1);
      if (a.size() != 2 || id == null) {
        return Optional.empty();
      }
      if (uuidId) {
        UUID.fromString(id);
      } else {
        Long.parseLong(id);
      }
      return Optional.of(new EventQueryCursor(OffsetDateTime.parse(a.getString(0)), id));
    } catch (IllegalArgumentException | DecodeException | ClassCastException | DateTimeParseException | IndexOutOfBoundsException | NullPointerException e) {
      return Optional.empty();
    }
  }
}
