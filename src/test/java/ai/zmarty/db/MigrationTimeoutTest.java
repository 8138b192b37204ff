package ai.zmarty.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What {@code zmarty nightly} relies on: migrations with a bound on every wait fail, naming the database, instead of hanging. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // without the bound these calls would never return
class MigrationTimeoutTest {

  @Test
  void aServerThatAcceptsAndNeverAnswersFailsWithinTheBound() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            held.add(silent.accept()); // accepted, never answered
          }
        } catch (Exception closed) {
          // the test is over
        }
      });
      PgUrl url = new PgUrl("127.0.0.1", silent.getLocalPort(), "zmarty_trading", "postgres", "x", Map.of());
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> Migrations.apply(url, Migrations.Target.TRADING, Duration.ofSeconds(2)))
          .isInstanceOf(Migrations.MigrationException.class)
          .hasMessage("database trading (postgres://postgres@127.0.0.1:" + silent.getLocalPort() + "/zmarty_trading) did not answer within 2 s while its migrations were being applied");
      // connect and login are bounded by 2 s each; far under what "hanging" would be, with room for a loaded machine
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
      acceptor.interrupt();
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void aStatementThatHangsOnALockFailsWithinTheBound() throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    try (Connection blocker = Sql.connect(dbs.trading())) {
      blocker.setAutoCommit(false);
      try (Statement st = blocker.createStatement()) {
        st.execute("lock table public." + Migrations.HISTORY_TABLE + " in access exclusive mode");
      }
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> Migrations.apply(dbs.trading(), Migrations.Target.TRADING, Duration.ofSeconds(2)))
          .isInstanceOf(Migrations.MigrationException.class)
          .hasMessageStartingWith("database trading (")
          .hasMessageEndingWith(") did not answer within 2 s while its migrations were being applied");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
      blocker.rollback();
    }
    // once the lock is gone the same call goes through: nothing was left half-done
    assertThat(Migrations.apply(dbs.trading(), Migrations.Target.TRADING, Duration.ofSeconds(30)).applied()).isZero();
  }
}
