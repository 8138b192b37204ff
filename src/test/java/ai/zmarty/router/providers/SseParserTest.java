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
  void everyWayOfCuttingAStreamInTwoGivesTheSameEvents() {
    byte[] bytes = "event: a\ndata: {\"t\":\"é1\"}\n\ndata: x\r\ndata: y\r\n\n: ping\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    List<SseParser.Event> whole = new ArrayList<>();
    new SseParser(whole::add).feed(Buffer.buffer(bytes));
    assertThat(whole).containsExactly(new SseParser.Event("a", "{\"t\":\"é1\"}"), new SseParser.Event("message", "x\ny"), new SseParser.Event("message", "[DONE]"));
    for (int cut = 1; cut < bytes.length; cut++) {
      List<SseParser.Event> got = new ArrayList<>();
      SseParser p = new SseParser(got::add);
      p.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, 0, cut)));
      p.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, cut, bytes.length)));
      assertThat(got).as("cut at %d", cut).isEqualTo(whole);
    }
  }

  @Test
  void crlfCommentsAndMultiLineDataFollowTheSpec() {
    parser.feed(Buffer.buffer(": keep-alive\r\n\r\ndata: a\r\ndata:b\r\n\r\ndata: [DONE]"));
    parser.end();
    assertThat(events).containsExactly(new SseParser.Event("message", "a\nb"), new SseParser.Event("message", "[DONE]"));
  }
}
