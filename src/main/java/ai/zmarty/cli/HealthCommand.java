package ai.zmarty.cli;

import ai.zmarty.config.ConfigException;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.ops.HealthTable;
import ai.zmarty.ops.SystemHealth;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    description = {
      "Checks databases A and B, the schema, the market data provider, data freshness and integrity, and the API.",
      "Seven checks side by side, each with its own time limit (HEALTH_CHECK_TIMEOUT); always under 30 s.",
      "Exit 0 healthy or warning, 1 critical, 2 usage error."
    })
public final class HealthCommand implements Callable<Integer> {
  /** The whole command's bound, whatever hangs. */
  static final long DEADLINE_S = 28;

  @Option(names = "--json", description = "Print the report as one JSON object.")
  boolean json;

  @Option(names = "--url", paramLabel = "URL", description = "The node whose /healthz the API check calls (default: HEALTH_API_URL, else http://127.0.0.1:<HTTP_PORT>).")
  String url;

  @Override
  public Integer call() {
    ZmartyConfig config;
    try {
      config = OpsSession.config(url, json);
    } catch (ConfigException e) {
      return Cli.configError(e);
    }
    try (OpsSession session = new OpsSession(config)) {
      SystemHealth health = session.checks().run().await(DEADLINE_S, TimeUnit.SECONDS);
      System.out.print(json ? health.toJson().encodePrettily() + System.lineSeparator() : HealthTable.render(health, System.console() != null && System.getenv("NO_COLOR") == null));
      System.out.flush();
      return health.exitCode();
    } catch (java.util.concurrent.TimeoutException e) {
      System.err.println("zmarty health: no report within " + DEADLINE_S + " s");
      return 1;
    }
  }
}
