package ai.zmarty.cli;

import ai.zmarty.config.ConfigException;
import ai.zmarty.config.RawConfig;
import ai.zmarty.config.ZmartyConfig;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** What every command does first: read and check the configuration, then set up logging. */
final class Cli {
  private Cli() {}

  static ZmartyConfig config(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(overrides);
    ZmartyConfig config = ZmartyConfig.from(RawConfig.load(env));
    // Logback reads these when the first logger is created, which is after this point.
    // auto: readable text for a person at a terminal, JSON for log collectors (deployments set json)
    System.setProperty("LOG_FORMAT", config.log().format().resolve(Terminal.attached()).name().toLowerCase(Locale.ROOT));
    System.setProperty("LOG_LEVEL", config.log().level());
    return config;
  }

  static ZmartyConfig config() {
    return config(Map.of());
  }

  /** Blocks the calling (main) thread until the JVM is asked to stop, then runs {@code onStop}. */
  static void runUntilStopped(Runnable onStop) {
    Thread main = Thread.currentThread();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  onStop.run();
                  main.interrupt();
                },
                "zmarty-shutdown"));
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static int configError(ConfigException e) {
    System.err.println("zmarty: configuration error: " + e.getMessage());
    return 2;
  }
}
