package ai.zmarty.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LENS_MODELS and friends are checked at start, each error naming its key. */
class LensEvaluateConfigTest {
  private static LensEvaluateConfig load(Map<String, String> env) {
    return ZmartyConfig.from(RawConfig.load(env)).lensEvaluate();
  }

  private static void rejects(Map<String, String> env, String key, String message) {
    assertThatThrownBy(() -> load(env)).isInstanceOf(ConfigException.class).hasMessageContaining(key).hasMessageContaining(message);
  }

  @Test
  void theDefaultIsTheOfflineRulesAloneWithTwentySeconds() {
    LensEvaluateConfig c = load(Map.of());
    assertThat(c.models()).containsExactly("offline");
    assertThat(c.modelTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.maxTokens()).isEqualTo(800);
    assertThat(c.promptsDir()).isEmpty();
  }

  @Test
  void realModelsNeedTheirKeys(@TempDir Path dir) {
    LensEvaluateConfig c = load(Map.of("LENS_MODELS", "gpt, claude,offline", "OPENAI_API_KEY", "k1", "ANTHROPIC_API_KEY", "k2", "LENS_PROMPTS_DIR", dir.toString()));
    assertThat(c.models()).containsExactly("gpt", "claude", "offline");
    assertThat(c.promptsDir()).isEqualTo(Optional.of(dir));

    rejects(Map.of("LENS_MODELS", "gemini"), "LENS_MODELS", "names 'gemini' but GEMINI_API_KEY is empty");
    rejects(Map.of("LENS_MODELS", "llama"), "LENS_MODELS", "unknown model 'llama'");
    rejects(Map.of("LENS_MODELS", "offline,offline"), "LENS_MODELS", "names 'offline' twice");
    rejects(Map.of("LENS_MODELS", " "), "LENS_MODELS", "at least one model");
  }

  @Test
  void theTimeoutLeavesRoomUnderTheHandlerTimeoutAndTheRestIsChecked() {
    // three quarters of QUEUE_HANDLER_TIMEOUT (30s) at most, and it says so
    LensEvaluateConfig capped = load(Map.of("LENS_MODEL_TIMEOUT", "26s"));
    assertThat(capped.modelTimeout()).isEqualTo(Duration.ofMillis(22_500));
    assertThat(capped.cappedFrom()).contains(Duration.ofSeconds(26));
    assertThat(load(Map.of("LENS_MODEL_TIMEOUT", "22s")).modelTimeout()).isEqualTo(Duration.ofSeconds(22));
    assertThat(load(Map.of("LENS_MODEL_TIMEOUT", "22s")).cappedFrom()).isEmpty();
    assertThat(load(Map.of("QUEUE_HANDLER_TIMEOUT", "1s")).modelTimeout()).isEqualTo(Duration.ofMillis(750));
    rejects(Map.of("LENS_PROMPTS_DIR", "/no/such/dir"), "LENS_PROMPTS_DIR", "is not a directory");
  }

  @Test
  void aBadPromptFileStopsTheStartNamingIt(@TempDir Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("core.md"), "no front matter\n");
    rejects(Map.of("LENS_PROMPTS_DIR", dir.toString()), "LENS_PROMPTS_DIR", dir.resolve("core.md") + " must start with front matter");
    java.nio.file.Files.writeString(dir.resolve("core.md"), "---\nversion: core-v7\n---\nJudge.\n");
    assertThat(load(Map.of("LENS_PROMPTS_DIR", dir.toString(), "LENS_MODELS", "gpt", "OPENAI_API_KEY", "k")).prompts().of("gpt").version()).isEqualTo("core-v7+gpt-v1");
    rejects(Map.of("LENS_MODEL_MAX_TOKENS", "5"), "LENS_MODEL_MAX_TOKENS", "from 100 to 32000");
  }
}
