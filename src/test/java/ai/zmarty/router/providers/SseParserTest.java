package ai.zmarty.router.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private final List<SseParser.Event> events = new ArrayList<>();
  private final SseParser parser = new SseParser(events::add);

  @Test
  void eventsSplitAcrossChunksAndInsideAUtf8CharacterArriveWhole() {
    byte[] bytes = "event: content_block_delta\ndata: {\"text\":\"€ up\"}\n\n".getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      parser.feed(Buffer.buffer(new byte[] {b}));
    }
    assertThat(events).containsExactly(new SseParser.Event("content_block_delta", "{\"text\":\"€ up\"}"));
  }

  @Test
  void crlfCommentsAndMultiLineDataFollowTheSpec() {
    parser.feed(Buffer.buffer(": keep-alive\r\n\r\ndata: a\r\ndata:b\r\n\r\ndata: [DONE]"));
    parser.end();
    assertThat(events).containsExactly(new SseParser.Event("message", "a\nb"), new SseParser.Event("message", "[DONE]"));
  }
}
