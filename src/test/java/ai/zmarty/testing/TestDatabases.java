package ai.zmarty.testing;

import ai.zmarty.config.PgUrl;
import ai.zmarty.config.RawConfig;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.db.EmbeddedDatabase;
import ai.zmarty.db.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test harness's real PostgreSQL: one embedded server per test JVM, and a fresh pair of
 * databases (A and B) for each test class that asks, so classes never see each other's rows.
 */
public final class TestDatabases {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedDatabase server;

  private TestDatabases() {}

  /** A and B as the application sees them. */
  public record Pair(PgUrl chat, PgUrl trading) {
    /** A configuration pointing at this pair, HTTP and metrics on free ports, plus {@code overrides}. */
    public ZmartyConfig config(Map<String, String> overrides) {
      Map<String, String> env = new HashMap<>(env());
      env.put("HTTP_PORT", "0");
      // a node without the api role serves /metrics on its own port: any free one, as tests run side by side
      env.put("METRICS_PORT", "0");
      env.put("HTTP_HOST", "127.0.0.1");
      env.put("JWT_SECRET", "test-secret-test-secret-test-secret-0123");
      env.put("LOG_FORMAT", "text");
      env.putAll(overrides);
      return ZmartyConfig.from(RawConfig.load(env));
    }

    /** The environment a separate node process needs to reach this pair. */
    public Map<String, String> env() {
      return Map.of(
          "CHAT_DATABASE_URL", "postgres://" + chat.user() + "@" + chat.host() + ":" + chat.port() + "/" + chat.database(),
          "TRADING_DATABASE_URL", "postgres://" + trading.user() + "@" + trading.host() + ":" + trading.port() + "/" + trading.database());
    }

    public ZmartyConfig config() {
      return config(Map.of());
    }
  }

  public static synchronized EmbeddedDatabase server() {
    if (server == null) {
      try {
        Path dir = Files.createTempDirectory("zmarty-test-pg");
        server = EmbeddedDatabase.start(dir.resolve("data"), 0);
        EmbeddedDatabase started = server;
        // stop it, then remove its data (about 2 GB after a full run): test JVMs must not fill the disk
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          started.close();
          deleteTree(dir);
        }, "test-postgres-stop"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return server;
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("could not remove " + dir + ": " + e);
    }
  }

  /** Two new empty databases, not migrated. */
  public static Pair empty() {
    int n = COUNTER.incrementAndGet();
    long stamp = ProcessHandle.current().pid();
    EmbeddedDatabase pg = server();
    return new Pair(pg.database("chat_" + stamp + "_" + n), pg.database("trading_" + stamp + "_" + n));
  }

  /**
   * A new database A with the chat migrations older than {@code version} applied (e.g.
   * "20260110000100"), as a database deployed before that migration was: a later
   * {@code Migrations.apply(url, CHAT)} applies the rest.
   */
  public static PgUrl chatBefore(String version) {
    try {
      Path dir = Files.createTempDirectory("zmarty-migrations-before-" + version);
      try (var files = Files.list(Path.of("supabase", "chat", "migrations"))) {
        for (Path f : files.filter(f -> f.getFileName().toString().compareTo(version) < 0).toList()) {
          Files.copy(f, dir.resolve(f.getFileName()));
        }
      }
      PgUrl chat = empty().chat();
      Migrations.apply(chat, Migrations.Target.CHAT, "filesystem:" + dir.toAbsolutePath());
      deleteTree(dir);
      return chat;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Two new databases with every migration applied. */
  public static Pair migrated() {
    Pair pair = empty();
    Migrations.apply(pair.chat(), Migrations.Target.CHAT);
    Migrations.apply(pair.trading(), Migrations.Target.TRADING);
    return pair;
  }
}
