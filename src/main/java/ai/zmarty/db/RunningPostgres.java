package ai.zmarty.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the PostgreSQL server that another process runs on a data directory, from the {@code
 * postmaster.pid} file PostgreSQL keeps there while it runs (line 1 its process id, line 4 its
 * port). A file left by a server that died is ignored: its process is gone.
 */
public final class RunningPostgres {
  private RunningPostgres() {}

  /** The port of the live server on {@code dataDir}, or empty when none runs there. */
  public static Optional<Integer> port(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    List<String> lines;
    try {
      lines = Files.readAllLines(pidFile);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (lines.size() < 4) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(lines.get(0).trim());
      int port = Integer.parseInt(lines.get(3).trim());
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      return alive && port > 0 ? Optional.of(port) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
