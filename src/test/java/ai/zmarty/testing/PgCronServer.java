package ai.zmarty.testing;

import ai.zmarty.config.PgUrl;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's PostgreSQL 15 with Debian's {@code postgresql-15-cron} (pg_cron 1.4), started in a
 * temporary directory for one test class: {@code shared_preload_libraries = 'pg_cron'},
 * {@code cron.database_name = 'trading'}, a free port on 127.0.0.1, trust authentication. As root
 * it runs as {@code nobody} (PostgreSQL refuses root), like the embedded harness.
 *
 * <p>When the package is missing: with {@code ZMARTY_REQUIRE_PG_CRON=1} (set by {@code .ci/run})
 * the test fails; otherwise it is skipped with a loud message on stderr.
 */
public final class PgCronServer implements AutoCloseable {
  public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
  private static final Path LIB = Path.of("/usr/lib/postgresql/15/lib/pg_cron.so");
  public static final String REQUIRE = "ZMARTY_REQUIRE_PG_CRON";

  private final Path dir;
  private final int port;

  private PgCronServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts the server, or fails (CI) or skips (developer machine) when pg_cron 1.4 is not installed. */
  public static PgCronServer start() throws Exception {
    if (!Files.isExecutable(BIN.resolve("postgres")) || !Files.exists(LIB)) {
      String why = "PostgreSQL 15 with pg_cron is not installed (" + BIN + "/postgres, " + LIB + "): apt-get install postgresql-15-cron";
      if ("1".equals(System.getenv(REQUIRE))) {
        throw new IllegalStateException(why + " (" + REQUIRE + "=1: the pg_cron test must run)");
      }
      System.err.println("\n*** SKIPPING the pg_cron integration test: " + why + " ***\n");
      Assumptions.abort(why);
    }
    Path dir = Files.createTempDirectory("zmarty-pgcron");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PgCronServer server = new PgCronServer(dir, port);
    Path data = dir.resolve("data");
    if (isRoot()) {
      run(List.of("chown", "-R", "nobody", dir.toString()));
    }
    server.asOwner(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
    Files.writeString(
        data.resolve("postgresql.conf"),
        "\nlisten_addresses = '127.0.0.1'\nport = " + port + "\nunix_socket_directories = '" + dir + "'\nshared_preload_libraries = 'pg_cron'\ncron.database_name = 'trading'\nfsync = off\n",
        java.nio.file.StandardOpenOption.APPEND);
    server.asOwner(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60", "start");
    try (Connection c = Sql.connect(server.url("postgres")); Statement st = c.createStatement()) {
      st.execute("create database chat");
      st.execute("create database trading");
    }
    try (Connection c = Sql.connect(server.url("trading")); Statement st = c.createStatement()) {
      st.execute("create extension pg_cron");
    }
    return server;
  }

  public PgUrl url(String database) {
    return new PgUrl("127.0.0.1", port, database, "postgres", "", java.util.Map.of());
  }

  @Override
  public void close() throws Exception {
    asOwner(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
    run(List.of("rm", "-rf", dir.toString()));
  }

  private void asOwner(String... command) throws Exception {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      full.addAll(List.of("runuser", "-u", "nobody", "--"));
    }
    full.addAll(List.of(command));
    run(full);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }
}
