package ai.zmarty.db;

import ai.zmarty.config.PgUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by this process (zonky's binaries from Maven Central) whose data
 * directory survives restarts, so a demo keeps its users, ledger and signals.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts (initialising on first use) the server whose data lives in {@code dataDir}. */
  public static EmbeddedDatabase start(Path dataDir, int port) {
    try {
      Files.createDirectories(dataDir);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("max_connections", "300")
              .setServerConfig("fsync", "on")
              // A chat writes and then deletes a stream slot and a credit hold: at hundreds of chats a
              // second those small tables gather tens of thousands of dead rows between two visits of
              // the autovacuum launcher (one a minute by default), and every chat's lookups in them
              // slow down until the next. Visiting every 10 s keeps them to a few thousand
              // (bench/gateway/README.md, "Dead rows between vacuums").
              .setServerConfig("autovacuum_naptime", "10s");
      String preload = System.getenv("EMBEDDED_PG_PRELOAD"); // e.g. pg_stat_statements, for a bench's profile
      if (preload != null && !preload.isBlank()) {
        builder.setServerConfig("shared_preload_libraries", preload);
      }
      if (port > 0) {
        builder.setPort(port);
      }
      long t0 = System.nanoTime();
      EmbeddedPostgres pg = builder.start();
      log.info("embedded PostgreSQL started on port {} with data in {} ({} ms)", pg.getPort(), dataDir, (System.nanoTime() - t0) / 1_000_000);
      return new EmbeddedDatabase(pg);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      if (String.valueOf(e.getMessage()).contains("could not lock")) {
        throw new IllegalStateException(
            "the embedded PostgreSQL in " + dataDir + " is in use by another zmarty process (a running demo?); stop it, or set ZMARTY_DATA_DIR to another directory", e);
      }
      throw e;
    }
  }

  public int port() {
    return postgres.getPort();
  }

  /** A URL for {@code database}, created first if the server does not have it yet. */
  public PgUrl database(String database) {
    createDatabaseIfMissing(PgUrl.local(port(), "postgres"), database);
    return PgUrl.local(port(), database);
  }

  /**
   * Makes every new session of {@code database} wait for its commits to reach the disk
   * ({@code synchronous_commit = on}, PostgreSQL's own default, which zonky's builder turns off for
   * the whole server). For database A: a credit hold, a settlement or a grant that a caller was told
   * is written must still be there after the server crashes. Statements that may lose their last
   * moments (the chat limits' windows and slots) turn it off for their own transaction.
   */
  public void durableCommits(String database) {
    try (Connection c = Jdbc.connect(PgUrl.local(port(), "postgres"));
        Statement s = c.createStatement()) {
      s.execute(DbSql.synchronousCommitOn(database));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot make commits to " + database + " durable: " + e.getMessage(), e);
    }
  }

  /** Creates {@code database} on the server behind {@code admin} unless it exists. */
  public static void createDatabaseIfMissing(PgUrl admin, String database) {
    try (Connection c = Jdbc.connect(admin);
        PreparedStatement q = c.prepareStatement(DbSql.DATABASE_EXISTS)) {
      q.setString(1, database);
      try (ResultSet rs = q.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute(DbSql.createDatabase(database));
        log.info("created database {}", database);
      }
    } catch (SQLException e) {
      if ("42P04".equals(e.getSQLState())) {
        return; // created by a concurrent starter
      }
      throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
      log.info("embedded PostgreSQL stopped");
    } catch (IOException e) {
      log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }
}
