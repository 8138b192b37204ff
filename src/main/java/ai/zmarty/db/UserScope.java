package ai.zmarty.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.function.Function;

/**
 * Runs work on database A as the user, the way PostgREST does: one transaction with the caller's
 * JWT claims set locally and role {@code authenticated}, so A's RLS policies decide what is seen.
 */
public final class UserScope {
  private UserScope() {}

  public static <T> Future<T> asUser(Pool pool, UUID user, Function<SqlConnection, Future<T>> work) {
    JsonObject claims = new JsonObject().put("sub", user.toString()).put("role", "authenticated");
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(DbSql.SET_CLAIMS)
                .execute(Tuple.of(claims.encode()))
                .compose(r -> conn.query(DbSql.SET_ROLE_AUTHENTICATED).execute())
                .compose(r -> work.apply(conn)));
  }
}
