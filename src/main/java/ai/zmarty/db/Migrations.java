package ai.zmarty.db;

import ai.zmarty.config.PgUrl;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the Supabase-style migrations ({@code supabase/<db>/migrations/<14 digits>_<name>.sql})
 * with Flyway: recorded in {@code zmarty_schema_history} so a second run changes nothing, and
 * refused when a file that was already applied has since been edited.
 */
public final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  public static final String HISTORY_TABLE = "zmarty_schema_history";

  /** The two databases and where their migrations live on the classpath. */
  public enum Target {
    CHAT("chat"),
    TRADING("trading");

    private final String folder;

    Target(String folder) {
      this.folder = folder;
    }

    public String location() {
      return "classpath:supabase/" + folder + "/migrations";
    }

    public String label() {
      return folder;
    }
  }

  /** What a run did. */
  public record Report(Target target, int applied, String version) {}

  private Migrations() {}

  public static Report apply(PgUrl url, Target target) {
    return apply(url, target, target.location());
  }

  /**
   * Applies the migrations with every wait bounded by {@code timeout}: connecting, logging in and
   * each answer of the server (pgjdbc's connect, login and socket timeouts). A database that accepts
   * connections and never answers, or a statement that hangs, fails with a {@link
   * MigrationException} naming the database instead of blocking the caller for ever.
   */
  public static Report apply(PgUrl url, Target target, Duration timeout) {
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000); // pgjdbc counts whole seconds
    String base = url.jdbcUrl();
    String jdbcUrl = base + (base.contains("?") ? "&" : "?") + "connectTimeout=" + seconds + "&loginTimeout=" + seconds + "&socketTimeout=" + seconds;
    try {
      return apply(flyway(jdbcUrl, url, target.location()), target);
    } catch (FlywayException e) {
      boolean timedOut = false;
      for (Throwable t = e; t != null; t = t.getCause()) {
        timedOut |= t instanceof SocketTimeoutException || (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains("timed out"));
      }
      String what = timedOut ? "did not answer within " + seconds + " s" : "failed: " + firstLine(e.getMessage());
      throw new MigrationException("database " + target.label() + " (" + url + ") " + what + " while its migrations were being applied");
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    String line = message.strip().lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }

  /** Applies the migrations found at a Flyway {@code location} ({@code classpath:…} or {@code filesystem:…}). */
  public static Report apply(PgUrl url, Target target, String location) {
    return apply(flyway(url.jdbcUrl(), url, location), target);
  }

  private static Report apply(Flyway flyway, Target target) {
    ValidateResult validation = flyway.validateWithResult();
    List<ValidateOutput> edited =
        validation.invalidMigrations == null
            ? List.of()
            : validation.invalidMigrations.stream().filter(Migrations::isChecksumMismatch).toList();
    if (!edited.isEmpty()) {
      throw new MigrationException(
          "refusing to migrate database "
              + target.label()
              + ": applied migration "
              + edited.stream().map(Migrations::fileName).collect(Collectors.joining(", "))
              + " was edited after it was applied (checksum differs); restore the file and add a new migration instead");
    }
    MigrateResult result = flyway.migrate();
    String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
    log.info("database {} migrated: {} applied, schema version {}", target.label(), result.migrationsExecuted, version);
    return new Report(target, result.migrationsExecuted, version);
  }

  private static Flyway flyway(String jdbcUrl, PgUrl url, String location) {
    return Flyway.configure()
        .dataSource(jdbcUrl, url.user(), url.password())
        .locations(location)
        .table(HISTORY_TABLE)
        .sqlMigrationPrefix("")
        .sqlMigrationSeparator("_")
        .sqlMigrationSuffixes(".sql")
        .placeholderReplacement(false)
        .validateMigrationNaming(true)
        .ignoreMigrationPatterns("*:future")
        .load();
  }

  private static boolean isChecksumMismatch(ValidateOutput out) {
    return out.errorDetails != null
        && (out.errorDetails.errorCode == CoreErrorCode.CHECKSUM_MISMATCH || out.errorDetails.errorCode == CoreErrorCode.DESCRIPTION_MISMATCH);
  }

  private static String fileName(ValidateOutput out) {
    if (out.filepath != null && !out.filepath.isBlank()) {
      String path = out.filepath.replace('\\', '/');
      return path.substring(path.lastIndexOf('/') + 1);
    }
    return out.version + "_" + out.description.replace(' ', '_') + ".sql";
  }

  /** A migration that must not run. */
  public static final class MigrationException extends RuntimeException {
    public MigrationException(String message) {
      super(message);
    }
  }
}
