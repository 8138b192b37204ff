package ai.zmarty.router.providers;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental Server-Sent Events parser: fed the response body chunk by chunk as it arrives, it
 * hands over each complete event. Lines are split on bytes, so a UTF-8 character cut between two
 * chunks is decoded whole.
 */
final class SseParser {
  /** One event: its name ({@code message} when unnamed) and its data lines joined by newlines. */
  record Event(String name, String data) {}

  private final Consumer<Event> events;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private String name;
  private StringBuilder data;

  SseParser(Consumer<Event> events) {
    this.events = events;
  }

  /**
   * Splits the chunk at its newlines: a line wholly inside the chunk is decoded straight from it;
   * only the start of a line the chunk cuts off is kept for the next one (never byte by byte, as
   * this runs for every chunk of every answer).
   */
  void feed(Buffer chunk) {
    byte[] bytes = chunk.getBytes();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      if (line.size() == 0) {
        line(new String(bytes, start, i - start, StandardCharsets.UTF_8));
      } else {
        line.write(bytes, start, i - start);
        line(line.toString(StandardCharsets.UTF_8));
        line.reset();
      }
      start = i + 1;
    }
    if (start < bytes.length) {
      line.write(bytes, start, bytes.length - start);
    }
  }

  /** The body ended: an event not yet closed by a blank line still counts. */
  void end() {
    if (line.size() > 0) {
      line(line.toString(StandardCharsets.UTF_8));
      line.reset();
    }
    dispatch();
  }

  private void line(String text) {
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.startsWith(":")) {
      return; // comment / keep-alive
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> name = value;
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
      default -> {
        // id, retry: not used by model providers
      }
    }
  }

  private void dispatch() {
    if (data != null) {
      events.accept(new Event(name == null ? "message" : name, data.toString()));
    }
    name = null;
    data = null;
  }
}
