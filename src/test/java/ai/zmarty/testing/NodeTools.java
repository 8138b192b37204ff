package ai.zmarty.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The npm-registry tools some tests run (src/test/node/package.json: Deno, the Kubernetes
 * schemas): installed with {@code npm ci} on first use, again when the lock file changes. Without
 * npm, or when the install fails, the calling test is skipped with a loud message, unless
 * {@code ZMARTY_REQUIRE_NODE_TOOLS=1} (set by {@code .ci/run}) makes that a failure.
 */
public final class NodeTools {
  public static final Path DIR = Path.of("src/test/node");

  /** What a finished tool run printed, and its exit code. */
  public record Run(int exit, String output) {}

  private NodeTools() {}

  /** The installed tools' directory; skips (or, when required, fails) the test when they cannot be installed. */
  public static synchronized Path installed() throws Exception {
    Path marker = DIR.resolve("node_modules/.package-lock.json");
    Path lock = DIR.resolve("package-lock.json");
    if (Files.exists(marker) && Files.getLastModifiedTime(marker).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
      return DIR;
    }
    Run r;
    try {
      r = run(DIR, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
    } catch (IOException missing) {
      return unavailable("npm is not installed (Debian: apt-get install npm; Node 20+)", missing);
    }
    if (r.exit() != 0) {
      return unavailable("npm ci in " + DIR + " failed:\n" + r.output(), null);
    }
    return DIR;
  }

  /** Runs a tool from node_modules/.bin with extra environment, in {@code workDir}. */
  public static Run bin(String tool, Path workDir, Map<String, String> env, long timeoutSeconds, String... args) throws Exception {
    Path exe = installed().resolve("node_modules/.bin/" + tool).toAbsolutePath();
    List<String> command = new java.util.ArrayList<>(List.of(exe.toString()));
    command.addAll(List.of(args));
    return run(workDir, command, env, timeoutSeconds);
  }

  /** Runs {@code node script args} in the tools' directory (so the script's imports resolve there). */
  public static Run node(String script, long timeoutSeconds, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    return run(installed(), command, Map.of(), timeoutSeconds);
  }

  private static Run run(Path workDir, List<String> command, Map<String, String> env, long timeoutSeconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("NO_COLOR", "1");
    Process p = pb.start();
    // read while it runs, so a chatty tool never blocks on a full pipe
    var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(output lost: " + e + ")";
      }
    });
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
    }
    return new Run(p.exitValue(), out.get(30, TimeUnit.SECONDS));
  }

  private static Path unavailable(String why, Throwable cause) {
    String message = why + ": the tests that need the npm tools were NOT run";
    if ("1".equals(System.getenv("ZMARTY_REQUIRE_NODE_TOOLS"))) {
      throw new AssertionError(message, cause);
    }
    System.err.println("\n*** SKIPPED: " + message + " ***\n");
    Assumptions.abort(message);
    return DIR;
  }
}
