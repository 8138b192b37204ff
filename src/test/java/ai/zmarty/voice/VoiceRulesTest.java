package ai.zmarty.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VoiceRulesTest {

  @Test
  void chargesCharactersPerThousandRoundedUp() {
    assertThat(VoicePricing.credits(1234, 2)).isEqualTo(3);
    assertThat(VoicePricing.credits(1000, 2)).isEqualTo(2);
    assertThat(VoicePricing.credits(1, 2)).isEqualTo(1);
    assertThat(VoicePricing.credits(0, 2)).isZero();
    assertThat(VoicePricing.credits(500, 0)).isZero();
  }

  @Test
  void theCacheKeyDependsOnVoiceModelAndText() {
    String h = AudioStore.hash("v", "m", "hello");
    assertThat(AudioStore.isHash(h)).isTrue();
    assertThat(h).isEqualTo(AudioStore.hash("v", "m", "hello"));
    assertThat(h).isNotEqualTo(AudioStore.hash("w", "m", "hello")).isNotEqualTo(AudioStore.hash("v", "n", "hello")).isNotEqualTo(AudioStore.hash("v", "m", "hello!"));
    // fields are separated, so shifting text between them changes the key
    assertThat(AudioStore.hash("ab", "c", "d")).isNotEqualTo(AudioStore.hash("a", "bc", "d"));
  }

  @Test
  void onlySixtyFourLowerCaseHexIsAnAudioName() {
    assertThat(AudioStore.isHash("a".repeat(64))).isTrue();
    assertThat(AudioStore.isHash("A".repeat(64))).isFalse();
    assertThat(AudioStore.isHash("a".repeat(63))).isFalse();
    assertThat(AudioStore.isHash("../" + "a".repeat(61))).isFalse();
    assertThat(AudioStore.isHash(null)).isFalse();
    assertThatThrownBy(() -> new AudioStore(Path.of("/d")).file("../x")).isInstanceOf(IllegalArgumentException.class);
    assertThat(new AudioStore(Path.of("/d")).file("b".repeat(64))).isEqualTo(Path.of("/d/audio/" + "b".repeat(64) + ".mp3"));
    assertThat(AudioStore.url("c".repeat(64))).isEqualTo("/audio/" + "c".repeat(64) + ".mp3");
  }

  @Test
  void readsElevenLabsErrorDetail() {
    VoiceFailure busy = VoiceFailure.fromResponse(429, "{\"detail\":{\"status\":\"system_busy\",\"message\":\"heavy traffic\"}}");
    assertThat(busy.reason()).isEqualTo("system_busy");
    assertThat(busy.retryable()).isTrue();
    assertThat(busy.getMessage()).isEqualTo("elevenlabs system_busy: heavy traffic");
    assertThat(VoiceFailure.fromResponse(429, "{\"detail\":{\"status\":\"too_many_concurrent_requests\",\"message\":\"x\"}}").retryable()).isTrue();
    assertThat(VoiceFailure.fromResponse(401, "{\"detail\":{\"status\":\"quota_exceeded\",\"message\":\"x\"}}").retryable()).isFalse();
    assertThat(VoiceFailure.fromResponse(429, "{\"detail\":{\"status\":\"rate_limit_exceeded\",\"message\":\"x\"}}").retryable()).isFalse();
    VoiceFailure html = VoiceFailure.fromResponse(502, "<html>Bad gateway</html>");
    assertThat(html.reason()).isEqualTo("http_502");
    assertThat(VoiceFailure.fromResponse(422, "{\"detail\":\"text too long\"}").getMessage()).isEqualTo("elevenlabs http_422: text too long");
  }
}
