package ai.zmarty.db;

import ai.zmarty.config.PgUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Blocking JDBC connections, used only before the event loops start (migrations, set-up). */
final class Jdbc {
  private Jdbc() {}

  static Connection connect(PgUrl url) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", url.user());
    props.setProperty("password", url.password());
    props.setProperty("ApplicationName", "zmarty");
    return DriverManager.getConnection(url.jdbcUrl(), props);
  }
}
