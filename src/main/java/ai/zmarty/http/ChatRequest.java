package ai.zmarty.http;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A {@code POST /chat} request, read and checked with no I/O: the message (1 to {@code maxChars}
 * characters, no NUL, which PostgreSQL's text type refuses), the mode (text or voice), the session
 * to continue (a UUID, or absent for a new one), the {@code Idempotency-Key} header and whether the
 * client accepts Server-Sent Events. Anything else is {@link Invalid}, naming the field.
 */
record ChatRequest(String message, boolean voice, UUID sessionId, String idempotencyKey, boolean sse) {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final int MAX_KEY_CHARS = 200;

  /** Why a request was refused (a 400): the field and a message a person can act on. */
  static final class Invalid extends Exception {
    private final String field;

    Invalid(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }

    String field() {
      return field;
    }
  }

  static ChatRequest parse(JsonObject body, String keyHeader, String acceptHeader, int maxChars) throws Invalid {
    String message = message(body, maxChars);
    Object mode = body.getValue("mode");
    if (mode != null && !"text".equals(mode) && !"voice".equals(mode)) {
      throw new Invalid("mode", "mode must be \"text\" or \"voice\"");
    }
    UUID session = null;
    Object sid = body.getValue("session_id");
    if (sid != null) {
      try {
        session = UUID.fromString((String) sid);
      } catch (ClassCastException | IllegalArgumentException e) {
        throw new Invalid("session_id", "session_id must be the id of one of your chat sessions (a UUID), or absent for a new session");
      }
    }
    if (keyHeader != null && (keyHeader.isBlank() || keyHeader.length() > MAX_KEY_CHARS || hasControl(keyHeader))) {
      throw new Invalid(IDEMPOTENCY_KEY, IDEMPOTENCY_KEY + " must be 1 to " + MAX_KEY_CHARS + " printable characters, got " + keyHeader.length() + " characters");
    }
    boolean sse = acceptHeader != null && acceptHeader.contains("text/event-stream");
    return new ChatRequest(message, "voice".equals(mode), session, keyHeader, sse);
  }

  /** The {@code message} field of a chat or an estimate. */
  static String message(JsonObject body, int maxChars) throws Invalid {
    Object m = body.getValue("message");
    if (!(m instanceof String s) || s.isBlank()) {
      throw new Invalid("message", "message is required: {\"message\": \"What's the signal for BTC?\"}");
    }
    if (s.length() > maxChars) {
      throw new Invalid("message", "message is " + s.length() + " characters; the limit is " + maxChars);
    }
    if (s.indexOf('\u0000') >= 0) {
      throw new Invalid("message", "message must not contain NUL (\\u0000) characters");
    }
    return s;
  }

  String mode() {
    return voice ? "voice" : "text";
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }
}
