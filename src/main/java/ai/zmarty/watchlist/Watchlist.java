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
  static final String LIST = "select symbol, timeframe, created_at from user_symbols order by created_at, id";
  static final String LIST_OF = "select symbol, timeframe from user_symbols where user_id = $1 order by created_at, id";
  static final String ADD =
      "insert into user_symbols (user_id, symbol, timeframe) values ($1, $2, $3) on conflict (user_id, symbol, timeframe) do nothing returning created_at";
  static final String REMOVE = "delete from user_symbols where user_id = $1 and symbol = $2 and timeframe = $3";

  private final Pool chat;

  public Watchlist(Pool chat) {
    this.chat = chat;
  }

  public Future<List<Pair>> pairs(UUID user) {
    return UserScope.asUser(chat, user, conn -> conn.query(LIST).execute()).map(Watchlist::toPairs);
  }

  /** The same list read by user id as the service, for a caller that authenticated the user itself. */
  public Future<List<Pair>> pairsOf(UUID user) {
    return chat.preparedQuery(LIST_OF).execute(Tuple.of(user)).map(Watchlist::toPairs);
  }

  private static List<Pair> toPairs(Iterable<Row> rows) {
    List<Pair> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(Pair.of(r.getString("symbol"), r.getString("timeframe")));
    }
    return out;
  }

  public Future<List<JsonObject>> list(UUID user) {
    return UserScope.asUser(chat, user, conn -> conn.query(LIST).execute()).map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(Pair.of(r.getString("symbol"), r.getString("timeframe")).toJson().put("created_at", r.getOffsetDateTime("created_at").toString()));
      }
      return out;
    });
  }

  /** True when the pair was added, false when the user already watched it. */
  public Future<Boolean> add(UUID user, Pair pair) {
    return UserScope.asUser(chat, user, conn -> conn.preparedQuery(ADD).execute(Tuple.of(user, pair.symbol(), pair.timeframeLabel())))
        .map(rows -> rows.size() > 0)
        .recover(err -> err instanceof PgException pg && "23503".equals(pg.getSqlState())
            ? Future.failedFuture(ErrorCode.FORBIDDEN.exception("user " + user + " has no profile yet"))
            : Future.failedFuture(err));
  }

  /** True when the pair was removed, false when the user did not watch it. */
  public Future<Boolean> remove(UUID user, Pair pair) {
    return UserScope.asUser(chat, user, conn -> conn.preparedQuery(REMOVE).execute(Tuple.of(user, pair.symbol(), pair.timeframeLabel()))).map(rows -> rows.rowCount() > 0);
  }
}
