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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The program's entry: one jar, eight commands. */
@Command(
    name = "zmarty",
    mixinStandardHelpOptions = true,
    version = "zmarty 0.1.0",
    description = "Zmarty Control Plane: the back end of a crypto trading assistant.")
public final class Main implements Runnable {
  /**
   * The subcommands by the name each one's {@code @Command} gives it, in the order the usage
   * lists them. Suppliers, so that a run builds only the command it runs (below).
   */
  static final Map<String, Supplier<Object>> COMMANDS = commands();

  private static Map<String, Supplier<Object>> commands() {
    Map<String, Supplier<Object>> c = new LinkedHashMap<>();
    c.put("demo", DemoCommand::new);
    c.put("run", RunCommand::new);
    c.put("migrate", MigrateCommand::new);
    c.put("token", TokenCommand::new);
    c.put("backtest", BacktestCommand::new);
    c.put("health", HealthCommand::new);
    c.put("nightly", NightlyCommand::new);
    c.put("source", SourceCommand::new);
    c.put("lens", LensCommand::new);
    return Collections.unmodifiableMap(c);
  }

  public static void main(String[] args) {
    int code = commandLine(args).execute(args);
    System.exit(code);
  }

  /** The configured command line with every subcommand, as the usage shows it (tests run it in process). */
  public static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /**
   * The configured command line for running {@code args}: when they start with a subcommand's
   * name, with that subcommand only, since picocli reflects over every registered command's
   * options when it builds the line (a fifth of a short command's start, e.g. {@code health}:
   * docs/performance.md); otherwise (no command, {@code --help}, a misspelt name) with all of them.
   */
  public static CommandLine commandLine(String[] argv) {
    CommandLine cli = new CommandLine(new Main());
    Supplier<Object> only = argv.length > 0 ? COMMANDS.get(argv[0]) : null;
    if (only != null) {
      cli.addSubcommand(only.get());
    } else {
      COMMANDS.values().forEach(command -> cli.addSubcommand(command.get()));
    }
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
