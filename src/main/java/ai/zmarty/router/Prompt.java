package ai.zmarty.router;

import java.util.List;

/**
 * What is sent to a model: the system instructions (with the user's market context), the
 * session's earlier messages as turns of their own (oldest first, starting with a user turn), and
 * the question.
 */
public record Prompt(String system, List<PromptBuilder.Turn> history, String user) {
  public Prompt(String system, String user) {
    this(system, List.of(), user);
  }

  /** The text whose tokens are billed as input. */
  public String billedText() {
    StringBuilder sb = new StringBuilder(system);
    for (PromptBuilder.Turn t : history) {
      sb.append("\n\n").append(t.content());
    }
    return sb.append("\n\n").append(user).toString();
  }
}
