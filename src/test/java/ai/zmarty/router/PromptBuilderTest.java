package ai.zmarty.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptBuilderTest {
  private static final ChatContext EMPTY = new ChatContext(List.of(), List.of(), List.of());

  @Test
  void withoutHistoryThePromptHasNoConversation() {
    assertThat(PromptBuilder.build(EMPTY, "hi").system()).doesNotContain("Earlier in this conversation");
  }

  @Test
  void historyGoesIntoTheSystemTextInOrder() {
    Prompt p = PromptBuilder.build(EMPTY, List.of(new PromptBuilder.Turn("user", "BTC?"), new PromptBuilder.Turn("assistant", "Long.")), "ETH?");
    assertThat(p.system()).contains("Earlier in this conversation:\nUser: BTC?\nZmarty: Long.\n");
    assertThat(p.user()).isEqualTo("ETH?");
    assertThat(p.billedText()).contains("User: BTC?");
  }

  @Test
  void keepsOnlyTheLatestMessagesAndCutsLongOnes() {
    List<PromptBuilder.Turn> history = new ArrayList<>();
    for (int i = 1; i <= 14; i++) {
      history.add(new PromptBuilder.Turn(i % 2 == 1 ? "user" : "assistant", "message " + i + " "));
    }
    history.add(new PromptBuilder.Turn("assistant", "x".repeat(5000)));
    String system = PromptBuilder.build(EMPTY, history, "next").system();
    assertThat(system).doesNotContain("message 5 ").contains("message 6 ").contains("message 14 ");
    assertThat(system).contains("x".repeat(PromptBuilder.HISTORY_CHARS) + "…").doesNotContain("x".repeat(PromptBuilder.HISTORY_CHARS + 1));
  }
}
