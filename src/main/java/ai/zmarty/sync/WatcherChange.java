package ai.zmarty.sync;

import ai.zmarty.market.Pair;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.UUID;

/**
 * What one delivered {@code user_symbols} change means for B's watchers: at most one watcher to
 * switch off (a deleted row, or the old pair of an update that moved it) and at most one to switch
 * on (an inserted or updated row). Parsed from the Supabase-Database-Webhook-shaped payload
 * {@code {event_id, type, table, schema, record, old_record}}.
 */
public record WatcherChange(UUID eventId, String type, Optional<Watch> deactivate, Optional<Watch> activate) {

  public static final String TABLE = "user_symbols";
  public static final String SCHEMA = "public";

  /** One user's watcher of one pair. */
  public record Watch(UUID userId, Pair pair) {
    /** Checks the pair as A's {@code user_symbols} does ({@link Pair#watched}). */
    public Watch(UUID userId, String symbol, String timeframe) {
      this(userId, Pair.watched(symbol, timeframe));
    }

    public String symbol() {
      return pair.symbol();
    }

    public String timeframe() {
      return pair.timeframeLabel();
    }
  }

  /** A payload that cannot be applied; the message says which field is wrong. */
  public static final class InvalidPayload extends RuntimeException {
    public InvalidPayload(String message) {
      super(message);
    }
  }

  public static WatcherChange fromPayload(JsonObject payload) {
    UUID eventId = uuid(payload, "event_id");
    if (!TABLE.equals(payload.getValue("table")) || !SCHEMA.equals(payload.getValue("schema"))) {
      throw new InvalidPayload("only changes to " + SCHEMA + "." + TABLE + " are accepted");
    }
    Object type = payload.getValue("type");
    if (!(type instanceof String t)) {
      throw new InvalidPayload("type must be INSERT, UPDATE or DELETE");
    }
    return switch (t) {
      case "INSERT" -> new WatcherChange(eventId, t, Optional.empty(), Optional.of(watch(payload, "record")));
      case "DELETE" -> new WatcherChange(eventId, t, Optional.of(watch(payload, "old_record")), Optional.empty());
      case "UPDATE" -> {
        Watch now = watch(payload, "record");
        Watch before = watch(payload, "old_record");
        // An update that keeps the pair leaves the watcher as it is; one that moves it hands over.
        yield new WatcherChange(eventId, t, before.equals(now) ? Optional.empty() : Optional.of(before), Optional.of(now));
      }
      default -> throw new InvalidPayload("type must be INSERT, UPDATE or DELETE, got '" + t + "'");
    };
  }

  private static Watch watch(JsonObject payload, String field) {
    Object value = payload.getValue(field);
    if (!(value instanceof JsonObject row)) {
      throw new InvalidPayload(field + " must be an object");
    }
    UUID user = uuid(row, "user_id");
    String symbol = text(row, "symbol", 32);
    String timeframe = text(row, "timeframe", 8);
    try {
      return new Watch(user, symbol, timeframe);
    } catch (IllegalArgumentException e) {
      throw new InvalidPayload(field + ": " + printable(e.getMessage()));
    }
  }

  /** The message with control characters (a NUL, say) shown as a backslash-u escape, so it can be logged and stored. */
  static String printable(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  private static UUID uuid(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value instanceof String s) {
      try {
        return UUID.fromString(s);
      } catch (IllegalArgumentException e) {
        // fall through to the error below
      }
    }
    throw new InvalidPayload(field + " must be a UUID");
  }

  private static String text(JsonObject json, String field, int maxLength) {
    Object value = json.getValue(field);
    if (!(value instanceof String s) || s.isBlank() || s.length() > maxLength) {
      throw new InvalidPayload(field + " must be a non-empty string of at most " + maxLength + " characters");
    }
    return s;
  }
}
