package ai.zmarty.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingPolicyTest {
  private static final RoutingPolicy ALL = new RoutingPolicy(List.of("grok", "gpt", "claude"));

  @Test
  void anOrdinaryMessageTriesGrokThenGptThenClaude() {
    assertThat(ALL.candidates("What's the signal for BTC?", Set.of())).containsExactly("grok", "gpt", "claude");
  }

  @Test
  void mentioningToolsPutsGptFirst() {
    assertThat(ALL.candidates("which TOOLS do you use?", Set.of())).containsExactly("gpt", "grok", "claude");
  }

  @Test
  void askingToAnalyzeDeeplyPutsGptFirst() {
    assertThat(ALL.candidates("Analyze deeply the ETH setup", Set.of())).containsExactly("gpt", "grok", "claude");
  }

  @Test
  void analyzeWithoutDeeplyStaysOnGrok() {
    assertThat(ALL.candidates("analyze ETH", Set.of())).first().isEqualTo("grok");
  }

  @Test
  void providersWithoutAKeyAreSkipped() {
    RoutingPolicy onlyClaudeAndGpt = new RoutingPolicy(List.of("claude", "gpt"));
    assertThat(onlyClaudeAndGpt.candidates("hi", Set.of())).containsExactly("gpt", "claude");
    assertThat(new RoutingPolicy(List.of("claude")).candidates("use tools", Set.of())).containsExactly("claude");
  }

  @Test
  void providersWithAnOpenBreakerAreSkipped() {
    assertThat(ALL.candidates("hi", Set.of("grok"))).containsExactly("gpt", "claude");
    assertThat(ALL.candidates("tools", Set.of("gpt"))).containsExactly("grok", "claude");
    assertThat(ALL.candidates("hi", Set.of("grok", "claude"))).containsExactly("gpt");
  }

  @Test
  void allBreakersOpenLeavesNothingToTry() {
    assertThat(ALL.candidates("hi", Set.of("grok", "gpt", "claude"))).isEmpty();
  }

  @Test
  void noProviderConfiguredFallsBackToOffline() {
    assertThat(new RoutingPolicy(List.of()).candidates("hi", Set.of())).containsExactly("offline");
    assertThat(new RoutingPolicy(List.of()).candidates("tools", Set.of("grok"))).containsExactly("offline");
  }

  @Test
  void geminiComesLastWhenConfigured() {
    assertThat(new RoutingPolicy(List.of("gemini", "grok", "gpt", "claude")).candidates("hi", Set.of())).containsExactly("grok", "gpt", "claude", "gemini");
  }

  @Test
  void noProviderIsEverListedTwice() {
    for (String message : List.of("hi", "tools", "analyze deeply with tools")) {
      List<String> c = new RoutingPolicy(List.of("grok", "gpt", "claude", "gemini", "grok")).candidates(message, Set.of());
      assertThat(c).doesNotHaveDuplicates().hasSize(4);
    }
  }
}
