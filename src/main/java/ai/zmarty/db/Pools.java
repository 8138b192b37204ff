package ai.zmarty.db;

import ai.zmarty.config.PgUrl;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Non-blocking connection pools for A and B. */
public final class Pools {
  private Pools() {}

  /** The longest statement kept prepared, in characters (Vert.x's default, 2,048, leaves out the lens pipeline's). */
  static final int PREPARED_SQL_LIMIT = 16_384;

  public static Pool create(Vertx vertx, PgUrl url, int size, String name) {
    PgConnectOptions connect = connectOptions(url, name);
    PoolOptions pool = new PoolOptions().setMaxSize(size).setName("zmarty-" + name + "-" + System.identityHashCode(vertx)).setShared(false).setMaxWaitQueueSize(1000);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  /** How to reach {@code url}, for a pool or a single connection (e.g. a LISTEN subscriber). */
  public static PgConnectOptions connectOptions(PgUrl url, String name) {
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(url.host())
            .setPort(url.port())
            .setDatabase(url.database())
            .setUser(url.user())
            .setPassword(url.password())
            .setSslMode(url.requiresSsl() ? SslMode.REQUIRE : SslMode.DISABLE)
            .setReconnectAttempts(2)
            .setReconnectInterval(500)
            .setPipeliningLimit(1)
            // parsed and planned once per connection: the lens and chat statements are long CTEs whose
            // planning cost more server CPU than running them (bench/lens: PostgreSQL 9.2 → 6.5 ms a signal)
            .setCachePreparedStatements(url.keepsStatementsPrepared())
            .setPreparedStatementCacheSqlLimit(PREPARED_SQL_LIMIT)
            .addProperty("application_name", "zmarty-" + name);
    if (url.requiresSsl()) {
      connect.getSslOptions().setTrustAll(true);
    }
    return connect;
  }
}
