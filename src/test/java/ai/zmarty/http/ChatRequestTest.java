package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Reading and checking a chat request, with no I/O. */
class ChatRequestTest {
  private static ChatRequest parse(JsonObject body, String key, String accept) throws ChatRequest.Invalid {
    return ChatRequest.parse(body, key, accept, 100);
  }

  private static void refused(JsonObject body, String key, String field, String message) {
    assertThatThrownBy(() -> parse(body, key, null)).isInstanceOf(ChatRequest.Invalid.class).hasMessageContaining(message)
        .satisfies(e -> assertThat(((ChatRequest.Invalid) e).field()).isEqualTo(field));
  }

  @Test
  void aPlainMessageIsATextChatInANewSessionAsJson() throws Exception {
    ChatRequest r = parse(new JsonObject().put("message", "What's the signal for BTC?"), null, "application/json");
    assertThat(r.message()).isEqualTo("What's the signal for BTC?");
    assertThat(r.voice()).isFalse();
    assertThat(r.mode()).isEqualTo("text");
    assertThat(r.sessionId()).isNull();
    assertThat(r.idempotencyKey()).isNull();
    assertThat(r.sse()).isFalse();
  }

  @Test
  void acceptingEventStreamsAsksForSse() throws Exception {
    assertThat(parse(new JsonObject().put("message", "hi"), null, "text/event-stream").sse()).isTrue();
  }

  @Test
  void voiceModeSessionAndKeyAreRead() throws Exception {
    UUID session = UUID.randomUUID();
    ChatRequest r = parse(new JsonObject().put("message", "hi").put("mode", "voice").put("session_id", session.toString()), "key-1", null);
    assertThat(r.voice()).isTrue();
    assertThat(r.sessionId()).isEqualTo(session);
    assertThat(r.idempotencyKey()).isEqualTo("key-1");
  }

  @Test
  void aMissingOrBlankOrNonStringMessageIsRefused() {
    refused(new JsonObject(), null, "message", "message is required");
    refused(new JsonObject().put("message", "  "), null, "message", "message is required");
    refused(new JsonObject().put("message", 42), null, "message", "message is required");
  }

  @Test
  void aMessageOverTheLimitIsRefusedWithItsLength() {
    refused(new JsonObject().put("message", "x".repeat(101)), null, "message", "message is 101 characters; the limit is 100");
  }

  @Test
  void aNulCharacterInTheMessageIsRefusedNamingTheField() {
    refused(new JsonObject().put("message", "hi\u0000there"), null, "message", "NUL");
  }

  @Test
  void anUnknownModeIsRefused() {
    refused(new JsonObject().put("message", "hi").put("mode", "video"), null, "mode", "mode must be");
  }

  @Test
  void aSessionIdThatIsNotAUuidIsRefused() {
    refused(new JsonObject().put("message", "hi").put("session_id", "1-1-1-1-x"), null, "session_id", "session_id must be");
    refused(new JsonObject().put("message", "hi").put("session_id", 7), null, "session_id", "session_id must be");
  }

  @Test
  void anIdempotencyKeyMustBeShortPrintableAndNotBlank() {
    JsonObject body = new JsonObject().put("message", "hi");
    refused(body, " ", "Idempotency-Key", "1 to 200");
    refused(body, "k".repeat(201), "Idempotency-Key", "got 201");
    refused(body, "a\u0001b", "Idempotency-Key", "printable");
  }

  @Test
  void theEstimateReadsTheSameMessageRules() throws Exception {
    assertThat(ChatRequest.message(new JsonObject().put("message", "hi"), 10)).isEqualTo("hi");
    assertThatThrownBy(() -> ChatRequest.message(new JsonObject().put("message", "a\u0000"), 10)).hasMessageContaining("NUL");
  }
}
