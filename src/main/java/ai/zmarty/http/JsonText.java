package ai.zmarty.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;

/**
 * Finds text in a JSON body that PostgreSQL cannot store: its text and jsonb types refuse the NUL
 * character (U+0000), and a lone UTF-16 surrogate (an unpaired {@code \ud800} escape) is not a
 * character at all. Checked once for every JSON body, so no route can forward such text to a
 * database and fail there with a 500.
 */
final class JsonText {
  private JsonText() {}

  /** The path of the first field (key or value) holding such text, e.g. {@code reason} or {@code items[2].name}. */
  static Optional<String> firstUnstorable(JsonObject body) {
    return inObject(body, "");
  }

  private static Optional<String> inObject(JsonObject o, String path) {
    for (Map.Entry<String, Object> e : o) {
      String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      if (!storable(e.getKey())) {
        return Optional.of(field + " (its name)");
      }
      Optional<String> found = inValue(e.getValue(), field);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> inValue(Object v, String path) {
    if (v instanceof String s) {
      return storable(s) ? Optional.empty() : Optional.of(path);
    }
    if (v instanceof JsonObject o) {
      return inObject(o, path);
    }
    if (v instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        Optional<String> found = inValue(a.getValue(i), path + "[" + i + "]");
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  static boolean storable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
