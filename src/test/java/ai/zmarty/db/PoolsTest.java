package ai.zmarty.db;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pools' connections keep their statements prepared on the server unless the URL says {@code prepareThreshold=0}. */
class PoolsTest {
  private static final String LONG = "select $1::int + 1 as n" + " ".repeat(3000) + "-- longer than Vert.x's default limit of 2,048 characters";
  private static Vertx vertx;
  private static PgUrl chat;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    chat = TestDatabases.migrated().chat();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** The statements this connection has prepared on the server, after running {@code sql} twice on it. */
  private static List<String> preparedAfterTwoRuns(PgUrl url, String sql) throws Exception {
    Pool pool = Pools.create(vertx, url, 1, "pools-test");
    try {
      SqlConnection c = pool.getConnection().await(10, TimeUnit.SECONDS);
      try {
        for (int i = 0; i < 2; i++) {
          Row r = c.preparedQuery(sql).execute(Tuple.of(i)).await(10, TimeUnit.SECONDS).iterator().next();
          assertThat(r.getInteger("n")).isEqualTo(i + 1);
        }
        List<String> kept = new ArrayList<>();
        c.query("select statement from pg_prepared_statements").execute().await(10, TimeUnit.SECONDS).forEach(row -> kept.add(row.getString(0)));
        return kept;
      } finally {
        c.close().await(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStatementIsPreparedOnceAndKeptOnItsConnectionEvenWhenLong() throws Exception {
    assertThat(preparedAfterTwoRuns(chat, "select $1::int + 1 as n")).containsExactly("select $1::int + 1 as n");
    assertThat(preparedAfterTwoRuns(chat, LONG)).containsExactly(LONG);
  }

  @Test
  void prepareThresholdZeroInTheUrlKeepsNothingPreparedForAPoolerInTransactionMode() throws Exception {
    PgUrl pooled = new PgUrl(chat.host(), chat.port(), chat.database(), chat.user(), chat.password(), Map.of("prepareThreshold", "0"));
    assertThat(pooled.keepsStatementsPrepared()).isFalse();
    assertThat(pooled.jdbcUrl()).endsWith("?prepareThreshold=0");
    assertThat(preparedAfterTwoRuns(pooled, "select $1::int + 1 as n")).isEmpty();
  }
}
