package ai.zmarty.cli;

import ai.zmarty.config.ConfigException;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.lens.SourceKeys;
import java.io.PrintStream;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code zmarty source add|list|revoke}: the outside signal sources and their API keys, in database B. */
@Command(
    name = "source",
    mixinStandardHelpOptions = true,
    description = {
      "Manages the outside sources that post trade signals to POST /api/v1/signals with an X-API-Key.",
      "Works on the configured database B, or beside a running demo on its embedded PostgreSQL."
    },
    subcommands = {SourceCommand.Add.class, SourceCommand.ListSources.class, SourceCommand.Revoke.class})
public final class SourceCommand implements Runnable {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'");

  @Override
  public void run() {
    System.err.println("zmarty source: name a subcommand: add NAME, list or revoke NAME (see --help)");
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Creates a source and prints its new key once (only its SHA-256 is stored). Exit 1 when the name is taken or malformed.")
  static final class Add implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "1 to 63 lower-case letters, digits, _ or -")
    String name;

    @Override
    public Integer call() {
      return withKeys(keys -> {
        SourceKeys.Issued issued = keys.add(name).await(20, TimeUnit.SECONDS);
        PrintStream out = System.out;
        out.println("Source '" + issued.name() + "' created. Its key, shown only now (keep it in the sender's secret store):");
        out.println();
        out.println("  " + issued.key());
        out.println();
        out.println("The source sends it with every signal: -H 'X-API-Key: " + issued.key() + "'");
        return 0;
      });
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the sources: name, the first characters of the key, created, and active or revoked.")
  static final class ListSources implements Callable<Integer> {
    @Override
    public Integer call() {
      return withKeys(keys -> {
        List<SourceKeys.Source> sources = keys.list().await(20, TimeUnit.SECONDS);
        if (sources.isEmpty()) {
          System.out.println("No sources yet: zmarty source add NAME");
          return 0;
        }
        int width = Math.max(6, sources.stream().mapToInt(s -> s.name().length()).max().orElse(0));
        System.out.printf("%-" + width + "s  %-10s  %-20s  %s%n", "SOURCE", "KEY", "CREATED", "STATUS");
        for (SourceKeys.Source s : sources) {
          String status = s.active() ? "active" : "revoked " + WHEN.format(s.revokedAt().get().toInstant().atOffset(java.time.ZoneOffset.UTC));
          System.out.printf("%-" + width + "s  %-10s  %-20s  %s%n", s.name(), s.keyPrefix() + "…", WHEN.format(s.createdAt().toInstant().atOffset(java.time.ZoneOffset.UTC)), status);
        }
        return 0;
      });
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a source's key at once (its signals get 401). Exit 1 when there is no such active source.")
  static final class Revoke implements Callable<Integer> {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      return withKeys(keys -> {
        if (keys.revoke(name).await(20, TimeUnit.SECONDS)) {
          System.out.println("Source '" + name + "' revoked: its key no longer works.");
          return 0;
        }
        System.err.println("zmarty source revoke: no active source '" + name + "'");
        return 1;
      });
    }
  }

  /** Runs {@code work} on database B (migrated by the nodes or {@code zmarty migrate}). */
  private static int withKeys(Work work) {
    ZmartyConfig config;
    try {
      config = OpsSession.config(null, false);
    } catch (ConfigException e) {
      return Cli.configError(e);
    }
    try (OpsSession session = new OpsSession(config)) {
      return work.run(new SourceKeys(session.trading));
    } catch (Exception e) {
      Throwable t = e;
      while (!(t instanceof IllegalArgumentException) && t.getCause() != null) {
        t = t.getCause();
      }
      String message = t instanceof IllegalArgumentException ? t.getMessage() : String.valueOf(e.getMessage());
      if (message.contains("lens.sources") && message.contains("does not exist")) {
        message = "database B has no lens schema yet: run `zmarty migrate` (or start a node) first";
      }
      System.err.println("zmarty source: " + message);
      return 1;
    }
  }

  private interface Work {
    int run(SourceKeys keys) throws Exception;
  }
}
