package ai.zmarty.testing;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Parses a text/event-stream body into its events. */
public final class Sse {
  private Sse() {}

  public record Event(String name, JsonObject data) {}

  public static List<Event> parse(String body) {
    List<Event> out = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String name = "message";
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        }
      }
      if (!data.isEmpty()) {
        out.add(new Event(name, new JsonObject(data.toString())));
      }
    }
    return out;
  }
}
