package ai.zmarty;

import ai.zmarty.cli.BacktestCommand;
import ai.zmarty.cli.DemoCommand;
import ai.zmarty.cli.HealthCommand;
import ai.zmarty.cli.LensCommand;
import ai.zmarty.cli.NightlyCommand;
import ai.zmarty.cli.MigrateCommand;
import ai.zmarty.cli.RunCommand;
import ai.zmarty.cli.SourceCommand;
import ai.zmarty.cli.TokenCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The program's entry: one jar, eight commands. */
@Command(
    name = "zmarty",
    mixinStandardHelpOptions = true,
    version = "zmarty 0.1.0",
    description = "Zmarty Control Plane: the back end of a crypto trading assistant.",
    subcommands = {DemoCommand.class, RunCommand.class, MigrateCommand.class, TokenCommand.class, BacktestCommand.class, HealthCommand.class, NightlyCommand.class, SourceCommand.class, LensCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    System.exit(code);
  }

  /** The configured command line, as {@link #main} runs it (tests run it in process). */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          // One readable line for a person; the details went to the JSON log where there is one.
          commandLine.getErr().println("zmarty: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        });
    CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
    cli.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine command = e.getCommandLine();
          if (!"backtest".equals(command.getCommandName())) {
            return usage.handleParseException(e, args);
          }
          // A backtest's bad file, date or timeframe: one line, no usage screen, exit 2.
          command.getErr().println("zmarty backtest: " + e.getMessage() + " (see zmarty backtest --help)");
          return command.getCommandSpec().exitCodeOnInvalidInput();
        });
    return cli;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
