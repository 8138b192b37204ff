package ai.zmarty.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VoiceConfigTest {

  private static ZmartyConfig load(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(overrides);
    return ZmartyConfig.from(RawConfig.load(env));
  }

  @Test
  void defaultsSpeakWithRachelOnMultilingualV2AndCheckGrok() {
    ZmartyConfig c = load(Map.of());
    assertThat(c.voice().configured()).isFalse();
    assertThat(c.voice().baseUrl()).isEqualTo("https://api.elevenlabs.io");
    assertThat(c.voice().voiceId()).isEqualTo("21m00Tcm4TlvDq8ikWAM");
    assertThat(c.voice().model()).isEqualTo("eleven_multilingual_v2");
    assertThat(c.voice().pricePer1kChars()).isEqualTo(2);
    assertThat(c.health().providers()).containsExactly("grok");
  }

  @Test
  void theElevenLabsKeyIsNeverPrinted() {
    ZmartyConfig c = load(Map.of("ELEVENLABS_API_KEY", "sk_secret_value", "ELEVENLABS_BASE_URL", "http://localhost:9/"));
    assertThat(c.voice().configured()).isTrue();
    assertThat(c.voice().baseUrl()).isEqualTo("http://localhost:9");
    assertThat(c.voice().toString()).doesNotContain("sk_secret_value");
  }

  @Test
  void healthProvidersAreNamedFromTheKnownOnes() {
    assertThat(load(Map.of("HEALTH_PROVIDERS", "Grok, claude,grok")).health().providers()).isEqualTo(List.of("grok", "claude"));
    assertThat(load(Map.of("HEALTH_PROVIDERS", "")).health().providers()).isEmpty();
    assertThatThrownBy(() -> load(Map.of("HEALTH_PROVIDERS", "grok,llama"))).isInstanceOf(ConfigException.class).hasMessageStartingWith("HEALTH_PROVIDERS: ").hasMessageContaining("llama");
  }

  @Test
  void badVoiceSettingsStopTheStart() {
    assertThatThrownBy(() -> load(Map.of("ELEVENLABS_BASE_URL", "ftp://x"))).hasMessageStartingWith("ELEVENLABS_BASE_URL: ");
    assertThatThrownBy(() -> load(Map.of("ELEVENLABS_VOICE_ID", "../x"))).hasMessageStartingWith("ELEVENLABS_VOICE_ID: ");
    assertThatThrownBy(() -> load(Map.of("PRICE_VOICE_PER_1K_CHARS", "-1"))).hasMessageStartingWith("PRICE_VOICE_PER_1K_CHARS: ");
  }
}
