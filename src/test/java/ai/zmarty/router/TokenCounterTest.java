package ai.zmarty.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
  private final TokenCounter tokens = new TokenCounter();

  private static Prompt prompt(String system, List<PromptBuilder.Turn> history, String user) {
    return new Prompt(system, history, user);
  }

  @Test
  void aPromptCountsAsItsTextOrAtMostOneMoreTokenPerSeam() {
    List<Prompt> prompts = List.of(
        prompt("You are Zmarty.\n\nBTC/USDT 1h:\n  latest signal long score 0.62 entry 64000.5 stop 63000 targets [65000, 66000] at 2025-01-01T00:00:00Z\n", List.of(), "What's the signal for BTC?"),
        prompt("You are Zmarty.", List.of(new PromptBuilder.Turn("user", "BTC?"), new PromptBuilder.Turn("assistant", "Long, score 0.72.\n")), "  And ETH?  "),
        prompt("Système: réponds en français — 🚀\n\n", List.of(new PromptBuilder.Turn("user", "ça va ?")), "ETH 和 BTC？"));
    for (Prompt p : prompts) {
      int whole = tokens.count(p.billedText());
      int seams = 1 + p.history().size();
      assertThat(tokens.count(p)).isBetween(whole, whole + seams);
    }
  }

  @Test
  void theRememberedSystemCountIsTheCountOfThatText() {
    Prompt first = prompt("You are Zmarty. BTC/USDT 1h: long 0.62", List.of(), "BTC?");
    Prompt second = prompt("You are Zmarty. BTC/USDT 1h: long 0.62", List.of(), "a much longer question about ETH and SOL on the 4h chart");
    int a = tokens.count(first);
    int b = tokens.count(second);
    assertThat(b - a).isEqualTo(tokens.count("\n\n" + second.user()) - tokens.count("\n\n" + first.user()));
    Prompt changed = prompt("You are Zmarty. BTC/USDT 1h: short 0.80 after the new bar", List.of(), "BTC?");
    assertThat(tokens.count(changed)).isEqualTo(tokens.count(changed.system()) + tokens.count("\n\nBTC?"));
  }
}
