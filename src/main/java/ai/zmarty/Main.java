package ai.zmarty;

import ai.zmarty.cli.DemoCommand;
import ai.zmarty.cli.MigrateCommand;
import ai.zmarty.cli.RunCommand;
import ai.zmarty.cli.TokenCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The program's entry: one jar, four commands. */
@Command(
    name = "zmarty",
    mixinStandardHelpOptions = true,
    version = "zmarty 0.1.0",
    description = "Zmarty Control Plane: the back end of a crypto trading assistant.",
    subcommands = {DemoCommand.class, RunCommand.class, MigrateCommand.class, TokenCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          // One readable line for a person; the details went to the JSON log where there is one.
          System.err.println("zmarty: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        });
    int code = cli.execute(args);
    System.exit(code);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
