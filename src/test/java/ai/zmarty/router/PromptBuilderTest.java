package ai.zmarty.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptBuilderTest {
  private static final ChatContext EMPTY = new ChatContext(List.of(), List.of(), List.of());

  @Test
  void withoutHistoryThePromptHasNoEarlierTurns() {
    assertThat(PromptBuilder.build(EMPTY, "hi").history()).isEmpty();
  }

  @Test
  void historyTravelsAsTurnsOfTheirOwnInOrderAndIsBilled() {
    Prompt p = PromptBuilder.build(EMPTY, List.of(new PromptBuilder.Turn("user", "BTC?"), new PromptBuilder.Turn("assistant", "Long.")), "ETH?");
    assertThat(p.history()).containsExactly(new PromptBuilder.Turn("user", "BTC?"), new PromptBuilder.Turn("assistant", "Long."));
    assertThat(p.system()).doesNotContain("BTC?");
    assertThat(p.user()).isEqualTo("ETH?");
    assertThat(p.billedText()).contains("BTC?").contains("Long.").endsWith("ETH?");
  }

  @Test
  void aConversationStartsWithTheUser() {
    Prompt p = PromptBuilder.build(EMPTY, List.of(new PromptBuilder.Turn("assistant", "cut off answer"), new PromptBuilder.Turn("user", "BTC?"), new PromptBuilder.Turn("assistant", "Long.")), "ETH?");
    assertThat(p.history()).extracting(PromptBuilder.Turn::role).containsExactly("user", "assistant");
  }

  @Test
  void keepsOnlyTheLatestMessagesAndCutsLongOnes() {
    List<PromptBuilder.Turn> history = new ArrayList<>();
    for (int i = 1; i <= 14; i++) {
      history.add(new PromptBuilder.Turn(i % 2 == 1 ? "user" : "assistant", "message " + i + " "));
    }
    history.add(new PromptBuilder.Turn("assistant", "x".repeat(5000)));
    List<PromptBuilder.Turn> turns = PromptBuilder.build(EMPTY, history, "next").history();
    // the latest 10 are messages 6–15; message 6 is an answer, so the conversation starts at 7
    assertThat(turns).hasSize(9);
    assertThat(turns.getFirst().content()).isEqualTo("message 7 ");
    assertThat(turns.get(7).content()).isEqualTo("message 14 ");
    assertThat(turns.getLast().content()).isEqualTo("x".repeat(PromptBuilder.HISTORY_CHARS) + "…");
  }
}
