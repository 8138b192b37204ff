package ai.zmarty.router;

/** What is sent to a model: the system instructions (with the user's market context) and the question. */
public record Prompt(String system, String user) {
  /** The text whose tokens are billed as input. */
  public String billedText() {
    return system + "\n\n" + user;
  }
}
