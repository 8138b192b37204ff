package ai.zmarty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line: every command reachable by its own name, and a run builds only the command it runs. */
class MainTest {

  @Test
  void everyCommandIsRegisteredUnderTheNameItsAnnotationGives() {
    CommandLine all = Main.commandLine();

    assertThat(all.getSubcommands().keySet()).containsExactlyElementsOf(Main.COMMANDS.keySet());
    Main.COMMANDS.forEach((name, command) -> assertThat(command.get().getClass().getAnnotation(CommandLine.Command.class).name()).as(name).isEqualTo(name));
    assertThat(Main.COMMANDS.keySet()).containsExactly("demo", "run", "migrate", "token", "backtest", "health", "nightly", "source", "lens");
  }

  @Test
  void aRunThatNamesACommandBuildsThatCommandOnly() {
    for (String name : Main.COMMANDS.keySet()) {
      assertThat(Main.commandLine(new String[] {name, "--help"}).getSubcommands().keySet()).as(name).containsExactly(name);
    }
  }

  @Test
  void withoutAKnownCommandTheUsageListsThemAll() {
    for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"helth"})) {
      assertThat(Main.commandLine(args).getSubcommands().keySet()).containsExactlyElementsOf(Main.COMMANDS.keySet());
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine(new String[] {"helth"});
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    assertThat(cli.execute("helth")).isEqualTo(2);
    // picocli suggests from the commands it was given: all of them
    assertThat(err.toString()).contains("Unmatched argument at index 0: 'helth'").contains("Did you mean: zmarty health");
  }

  @Test
  void aCommandsOwnHelpStillWorksWhenBuiltAlone() {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine(new String[] {"health", "--help"});
    cli.setOut(new PrintWriter(out, true));

    assertThat(cli.execute("health", "--help")).isZero();
    assertThat(out.toString()).contains("Usage: zmarty health").contains("--json").contains("--url");
  }
}
