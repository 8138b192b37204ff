package ai.zmarty.cli;

import java.io.Console;

/** Whether this process talks to a person at a terminal (the log format and the progress bar ask). */
final class Terminal {
  private Terminal() {}

  /**
   * True when standard input and output are a terminal. Before JDK 22 {@code System.console()} is
   * null when a stream is redirected; from 22 on it may not be, and {@code Console.isTerminal()}
   * says (called reflectively, as the build targets 21).
   */
  static boolean attached() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
