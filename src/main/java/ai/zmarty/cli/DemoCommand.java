package ai.zmarty.cli;

import ai.zmarty.Node;
import ai.zmarty.config.ConfigException;
import ai.zmarty.config.ZmartyConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole system in one process on its embedded defaults.",
      "Embedded PostgreSQL under ZMARTY_DATA_DIR, every role; prints the URL to try. Data survives a restart."
    })
public final class DemoCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    ZmartyConfig config;
    try {
      config = Cli.config();
    } catch (ConfigException e) {
      return Cli.configError(e);
    }
    Node node = Node.start(config, false);
    String base = "http://localhost:" + node.wiring().httpPort().orElseThrow();
    System.out.println();
    System.out.println("Zmarty demo is running at " + base);
    System.out.println("  curl -s " + base + "/healthz");
    System.out.println("Data: " + config.database().dataDir().toAbsolutePath().normalize() + " (Ctrl-C to stop)");
    System.out.println();
    Cli.runUntilStopped(node::close);
    return 0;
  }
}
