package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prompts: a core and a wrapper per model, versioned; the hash is the rendered template's SHA-256. */
class PromptTemplatesTest {
  private static final List<String> MODELS = List.of("offline", "gpt", "grok", "claude", "gemini");

  @Test
  void theShippedPromptsRenderTheCoreIntoEachWrapper() {
    PromptTemplates t = PromptTemplates.load(Optional.empty(), MODELS);
    PromptTemplates.Rendered gpt = t.of("gpt");

    assertThat(gpt.version()).isEqualTo("core-v1+gpt-v1");
    assertThat(gpt.system()).startsWith("You are a careful crypto derivatives analyst.").contains("ENTER: take the signal now.").doesNotContain("{{core}}").doesNotContain("version:");
    assertThat(gpt.hash()).isEqualTo(PromptTemplates.sha256(gpt.system())).hasSize(64);
    assertThat(t.of("claude").version()).isEqualTo("core-v1+claude-v1");
    assertThat(t.of("claude").hash()).isNotEqualTo(gpt.hash());
  }

  @Test
  void theHashIsStableAcrossLoads() {
    assertThat(PromptTemplates.load(Optional.empty(), MODELS).of("gemini").hash()).isEqualTo(PromptTemplates.load(Optional.empty(), MODELS).of("gemini").hash());
  }

  @Test
  void anOverriddenCoreChangesTheHashAndTheVersion(@TempDir Path dir) throws Exception {
    String shipped = PromptTemplates.load(Optional.empty(), MODELS).of("gpt").hash();
    Files.writeString(dir.resolve("core.md"), "---\nversion: core-v2\n---\nJudge the signal. Answer in JSON.\n");
    PromptTemplates.Rendered gpt = PromptTemplates.load(Optional.of(dir), MODELS).of("gpt");

    assertThat(gpt.version()).isEqualTo("core-v2+gpt-v1"); // the wrapper still the shipped one
    assertThat(gpt.system()).endsWith("Judge the signal. Answer in JSON.");
    assertThat(gpt.hash()).isNotEqualTo(shipped);

    // one character of the template more: another hash
    Files.writeString(dir.resolve("core.md"), "---\nversion: core-v2\n---\nJudge the signal. Answer in JSON!\n");
    assertThat(PromptTemplates.load(Optional.of(dir), MODELS).of("gpt").hash()).isNotEqualTo(gpt.hash());
  }

  @Test
  void aFileWithoutVersionOrCoreStopsTheStartNamingIt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("gpt.md"), "You are an analyst.\n{{core}}\n");
    assertThatThrownBy(() -> PromptTemplates.load(Optional.of(dir), MODELS)).hasMessageContaining(dir.resolve("gpt.md").toString()).hasMessageContaining("front matter");

    Files.writeString(dir.resolve("gpt.md"), "---\nauthor: me\n---\n{{core}}\n");
    assertThatThrownBy(() -> PromptTemplates.load(Optional.of(dir), MODELS)).hasMessageContaining("gpt.md").hasMessageContaining("no version");

    Files.writeString(dir.resolve("gpt.md"), "---\nversion: gpt-v9\n---\nNo core here.\n");
    assertThatThrownBy(() -> PromptTemplates.load(Optional.of(dir), MODELS)).hasMessageContaining("gpt.md").hasMessageContaining("{{core}}");
  }

  @Test
  void theOfflineRulesNeedNoPrompt() {
    PromptTemplates t = PromptTemplates.load(Optional.empty(), List.of("offline"));
    assertThatThrownBy(() -> t.of("gpt")).hasMessageContaining("no prompt loaded for model gpt");
  }
}
