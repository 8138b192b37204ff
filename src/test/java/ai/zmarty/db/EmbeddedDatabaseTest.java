package ai.zmarty.db;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

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
}
