package ai.zmarty.testing;

import ai.zmarty.config.PgUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC for test set-up and assertions, outside the code under test. */
public final class Sql {
  private Sql() {}

  public static Connection connect(PgUrl url) throws SQLException {
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
  }

  public static void exec(PgUrl url, String sql) {
    try (Connection c = connect(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage() + " in: " + sql, e);
    }
  }

  /** The first column of every row, as text. */
  public static List<String> column(PgUrl url, String sql) {
    try (Connection c = connect(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage() + " in: " + sql, e);
    }
  }

  public static String one(PgUrl url, String sql) {
    List<String> rows = column(url, sql);
    if (rows.size() != 1) {
      throw new IllegalStateException("expected one row, got " + rows.size() + " for: " + sql);
    }
    return rows.get(0);
  }

  public static long count(PgUrl url, String sql) {
    return Long.parseLong(one(url, sql));
  }
}
