package ai.zmarty.watchlist;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.db.UserScope;
import ai.zmarty.market.Pair;
import io.vertx.pgclient.PgException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A user's watched pairs in database A ({@code user_symbols}). What the API reads and writes for a
 * user goes through A's RLS as that user; the model router, which acts for a user it already
 * authenticated, reads by user id in one statement ({@link #pairsOf}) since it sits on every
 * chat's path to the first token. The sync package's trigger carries every change on to B.
 */
public final class Watchlist {
  private final Pool chat;

  public Watchlist(Pool chat) {
    this.chat = chat;
  }

  public Future<List<Pair>> pairs(UUID user) {
    return UserScope.asUser(chat, user, conn -> conn.query(WatchlistSql.LIST).execute()).map(Watchlist::toPairs);
  }

  /** The same list read by user id as the service, for a caller that authenticated the user itself. */
  public Future<List<Pair>> pairsOf(UUID user) {
    return chat.preparedQuery(WatchlistSql.LIST_OF).execute(Tuple.of(user)).map(Watchlist::toPairs);
  }

  private static List<Pair> toPairs(Iterable<Row> rows) {
    List<Pair> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(Pair.of(r.getString("symbol"), r.getString("timeframe")));
    }
    return out;
  }

  public Future<List<JsonObject>> list(UUID user) {
    return UserScope.asUser(chat, user, conn -> conn.query(WatchlistSql.LIST).execute()).map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(Pair.of(r.getString("symbol"), r.getString("timeframe")).toJson().put("created_at", r.getOffsetDateTime("created_at").toString()));
      }
      return out;
    });
  }

  /** True when the pair was added, false when the user already watched it. */
  public Future<Boolean> add(UUID user, Pair pair) {
    return UserScope.asUser(chat, user, conn -> conn.preparedQuery(WatchlistSql.ADD).execute(Tuple.of(user, pair.symbol(), pair.timeframeLabel())))
        .map(rows -> rows.size() > 0)
        .recover(err -> err instanceof PgException pg && "23503".equals(pg.getSqlState())
            ? Future.failedFuture(ErrorCode.FORBIDDEN.exception("user " + user + " has no profile yet"))
            : Future.failedFuture(err));
  }

  /** True when the pair was removed, false when the user did not watch it. */
  public Future<Boolean> remove(UUID user, Pair pair) {
    return UserScope.asUser(chat, user, conn -> conn.preparedQuery(WatchlistSql.REMOVE).execute(Tuple.of(user, pair.symbol(), pair.timeframeLabel()))).map(rows -> rows.rowCount() > 0);
  }
}
