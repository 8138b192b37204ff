package ai.zmarty.lens;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What one decision socket subscribed to: a list of filters, a decision passing any of them being
 * sent. A new socket has none and receives nothing until it subscribes. Answers every client
 * message with the frame to send back: {@code subscribed}, {@code unsubscribed} or {@code error}.
 */
public final class DecisionSocketSubscriptions {
  /** Filters one socket may hold. */
  public static final int MAX = 32;

  private final List<DecisionSocketFilter> filters = new ArrayList<>();

  public boolean wants(JsonObject decision) {
    for (DecisionSocketFilter f : filters) {
      if (f.matches(decision)) {
        return true;
      }
    }
    return false;
  }

  /** Applies one text frame and returns the answer frame. */
  public JsonObject handle(String text) {
    DecisionSocketRequest request = DecisionSocketRequest.parse(text);
    return switch (request) {
      case DecisionSocketRequest.Bad bad -> error(bad.message());
      case DecisionSocketRequest.Subscribe sub -> {
        if (!filters.contains(sub.filter())) {
          if (filters.size() >= MAX) {
            yield error("at most " + MAX + " subscriptions per socket: unsubscribe one first");
          }
          filters.add(sub.filter());
        }
        yield new JsonObject().put("type", "subscribed").put("filter", sub.filter().toJson()).put("subscriptions", list());
      }
      case DecisionSocketRequest.Unsubscribe unsub -> {
        int before = filters.size();
        if (unsub.all()) {
          filters.clear();
        } else {
          filters.remove(unsub.filter());
        }
        yield new JsonObject().put("type", "unsubscribed").put("removed", before - filters.size()).put("subscriptions", list());
      }
    };
  }

  private JsonArray list() {
    JsonArray out = new JsonArray();
    filters.forEach(f -> out.add(f.toJson()));
    return out;
  }

  private static JsonObject error(String message) {
    return new JsonObject().put("type", "error").put("error", "bad_request").put("message", message);
  }
}
