package ai.zmarty.cli;

import ai.zmarty.Node;
import ai.zmarty.config.ConfigException;
import ai.zmarty.config.ZmartyConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a node: the verticles of its roles against databases A and B.",
      "Without database URLs it starts the embedded PostgreSQL; with --cluster it joins the Hazelcast cluster."
    })
public final class RunCommand implements Callable<Integer> {
  @Option(names = "--cluster", description = "Join the cluster (CLUSTER_HOST, CLUSTER_MEMBERS).")
  boolean cluster;

  @Option(names = "--roles", paramLabel = "ROLES", description = "Comma-separated roles to run: api, worker, ops (default: ROLES, all three).")
  String roles;

  @Override
  public Integer call() {
    Map<String, String> overrides = new HashMap<>();
    if (roles != null) {
      overrides.put("ROLES", roles);
    }
    ZmartyConfig config;
    try {
      config = Cli.config(overrides);
    } catch (ConfigException e) {
      return Cli.configError(e);
    }
    Node node = Node.start(config, cluster);
    System.out.printf("zmarty node up: roles %s%s%s%n", config.roles(), cluster ? ", clustered" : "", node.wiring().httpPort().map(p -> ", http://localhost:" + p).orElse(""));
    Cli.runUntilStopped(node::close);
    return 0;
  }
}
