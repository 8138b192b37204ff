package ai.zmarty.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Database A's policies, exercised as PostgREST would: a role and the caller's JWT claims. */
class RowLevelSecurityTest {
  private static final UUID X = UUID.randomUUID();
  private static final UUID Y = UUID.randomUUID();
  private static PgUrl chat;

  @BeforeAll
  static void twoUsersWithSymbols() {
    chat = TestDatabases.migrated().chat();
    for (UUID u : List.of(X, Y)) {
      Sql.exec(chat, "insert into auth.users (id) values ('" + u + "')");
      Sql.exec(chat, "insert into profiles (id, tier) values ('" + u + "', 'pro')");
      Sql.exec(chat, "insert into user_symbols (user_id, symbol, timeframe) values ('" + u + "', 'BTC/USDT', '1h')");
      Sql.exec(chat, "insert into credits_ledger (user_id, delta, reason) values ('" + u + "', 100, 'grant')");
    }
  }

  /** Runs {@code work} in one transaction as {@code role} with {@code user}'s claims. */
  private static <T> T as(String role, UUID user, SqlWork<T> work) throws SQLException {
    try (Connection c = Sql.connect(chat)) {
      c.setAutoCommit(false);
      try (PreparedStatement claims = c.prepareStatement("select set_config('request.jwt.claims', ?, true)")) {
        claims.setString(1, "{\"sub\":\"" + user + "\",\"role\":\"" + role + "\"}");
        claims.execute();
      }
      try (Statement s = c.createStatement()) {
        s.execute("set local role " + role);
      }
      try {
        return work.run(c);
      } finally {
        c.rollback();
      }
    }
  }

  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private static List<String> owners(Connection c, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select user_id from " + table)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static List<String> ownersAs(String role, UUID user, String table) throws SQLException {
    return as(role, user, c -> owners(c, table));
  }

  private static int updateAs(String role, UUID user, String sql) throws SQLException {
    return as(role, user, c -> update(c, sql));
  }

  private static int update(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  @Test
  void authUidReadsTheClaims() throws SQLException {
    String uid = as("authenticated", X, c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select auth.uid()")) {
        rs.next();
        return rs.getString(1);
      }
    });
    assertThat(uid).isEqualTo(X.toString());
  }

  @Test
  void aUserReadsOnlyOwnRows() throws SQLException {
    assertThat(ownersAs("authenticated", X, "user_symbols")).containsExactly(X.toString());
    assertThat(ownersAs("authenticated", X, "credits_ledger")).containsExactly(X.toString());
    assertThat(ownersAs("authenticated", X, "credit_balance")).containsExactly(X.toString());
    assertThat(ownersAs("authenticated", X, "credit_balances")).containsExactly(X.toString());
  }

  @Test
  void aUserCannotChangeAnotherUsersRows() throws SQLException {
    assertThat(updateAs("authenticated", X, "update user_symbols set timeframe = '4h' where user_id = '" + Y + "'")).isZero();
    assertThat(updateAs("authenticated", X, "delete from user_symbols where user_id = '" + Y + "'")).isZero();
    assertThatThrownBy(() -> updateAs("authenticated", X, "insert into user_symbols (user_id, symbol, timeframe) values ('" + Y + "', 'ETH/USDT', '1h')"))
        .hasMessageContaining("row-level security");
    assertThat(Sql.count(chat, "select count(*) from user_symbols where user_id = '" + Y + "' and timeframe = '1h'")).isEqualTo(1);
  }

  @Test
  void aUserChangesOwnRows() throws SQLException {
    assertThat(updateAs("authenticated", X, "insert into user_symbols (user_id, symbol, timeframe) values ('" + X + "', 'ETH/USDT', '1h')")).isEqualTo(1);
  }

  @Test
  void aUserCannotWriteTheLedger() {
    assertThatThrownBy(() -> updateAs("authenticated", X, "insert into credits_ledger (user_id, delta, reason) values ('" + X + "', 1000000, 'free money')"))
        .hasMessageContaining("permission denied");
  }

  @Test
  void aUserCannotWriteTheKeptBalance() {
    assertThatThrownBy(() -> updateAs("authenticated", X, "update credit_balances set balance = 1000000 where user_id = '" + X + "'"))
        .hasMessageContaining("permission denied");
  }

  @Test
  void aUserCannotCallTheCreditFunctions() {
    assertThatThrownBy(() -> updateAs("authenticated", X, "select credit_settle('x', '" + X + "', -1000000, null, '{}', 'free money')"))
        .hasMessageContaining("permission denied");
    assertThatThrownBy(() -> updateAs("anon", X, "select credit_reserve('x', '" + X + "', '{\"pro\": 1}', 60)"))
        .hasMessageContaining("permission denied");
  }

  @Test
  void serviceRoleSeesEveryone() throws SQLException {
    assertThat(ownersAs("service_role", X, "user_symbols")).containsExactlyInAnyOrder(X.toString(), Y.toString());
    assertThat(ownersAs("service_role", X, "credits_ledger")).hasSize(2);
  }

  @Test
  void anonSeesNothing() {
    assertThatThrownBy(() -> ownersAs("anon", X, "user_symbols")).hasMessageContaining("permission denied");
  }
}
