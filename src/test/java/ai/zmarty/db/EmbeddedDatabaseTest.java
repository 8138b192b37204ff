package ai.zmarty.db;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.PgUrl;
import ai.zmarty.config.ZmartyConfig.DatabaseConfig;
import ai.zmarty.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings the embedded server runs with. */
class EmbeddedDatabaseTest {
  /**
   * The autovacuum launcher visits every 10 s instead of every minute: a chat's slot and hold rows
   * are written and deleted at each chat, and between two visits a minute apart those tables held
   * tens of thousands of dead rows that every chat's lookups walked past.
   */
  @Test
  void theAutovacuumLauncherVisitsEveryTenSeconds() throws Exception {
    PgUrl chat = TestDatabases.empty().chat();
    try (Connection c = Jdbc.connect(chat);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select setting, unit, source from pg_settings where name = 'autovacuum_naptime'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("setting") + rs.getString("unit")).isEqualTo("10s");
      assertThat(rs.getString("source")).isNotEqualTo("default");
      assertThat(rs.next()).isFalse();
    }
  }

  /**
   * zonky's builder starts the server with {@code synchronous_commit = off}: a crash of the server
   * would lose the last moments of acknowledged commits. Database A, where the ledger is, commits
   * synchronously in every new session; B keeps the server's setting.
   */
  @Test
  void theLedgersDatabaseWaitsForItsCommitsToReachTheDisk(@TempDir Path dir) throws Exception {
    try (Databases databases = Databases.open(new DatabaseConfig(Optional.empty(), Optional.empty(), 2, dir, 0))) {
      assertThat(setting(databases.chat(), "synchronous_commit")).isEqualTo("on");
      assertThat(setting(databases.trading(), "synchronous_commit")).isEqualTo("off");
    }
  }

  private static String setting(PgUrl url, String name) throws SQLException {
    try (Connection c = Jdbc.connect(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
