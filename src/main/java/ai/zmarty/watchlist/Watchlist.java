package ai.zmarty.watchlist;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.config.WatchConfig;
import ai.zmarty.db.UserScope;
import ai.zmarty.market.Pair;
import ai.zmarty.market.SymbolCatalog;
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
 *
 * <p>Adding a pair checks two things: that the configured market lists it ({@link SymbolCatalog},
 * asked once per node and remembered) and that the user stays within the tier's cap ({@link
 * WatchConfig#maxSymbols}). The cap is checked and the row inserted in one transaction that
 * holds a lock on the user's watchlist, so two adds at once cannot both pass a cap of one left.
 */
public final class Watchlist {
  private final Pool chat;
  private final WatchConfig limits;
  private final SymbolCatalog catalog;

  /** Without caps or a market check: for the demo's own seed. */
  public Watchlist(Pool chat) {
    this(chat, null, null);
  }

  /** @param limits the per-tier caps; @param catalog the market's listed pairs (null: both unchecked) */
  public Watchlist(Pool chat, WatchConfig limits, SymbolCatalog catalog) {
    this.chat = chat;
    this.limits = limits;
    this.catalog = catalog;
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

  /**
   * True when the pair was added, false when the user already watched it (the row is touched, so
   * a paused watcher of it in B resumes). Fails BAD_REQUEST for a pair the market does not list,
   * UNAVAILABLE when the market could not be asked, FORBIDDEN at the tier's cap or without a profile.
   */
  public Future<Boolean> add(UUID user, Pair pair) {
    return listed(pair)
        .compose(v -> UserScope.asUser(chat, user, conn -> conn.preparedQuery(WatchlistSql.LOCK_USER).execute(Tuple.of(user))
            .compose(locked -> conn.preparedQuery(WatchlistSql.TIER_AND_COUNT).execute(Tuple.of(user, pair.symbol(), pair.timeframeLabel())))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(ErrorCode.FORBIDDEN.exception("user " + user + " has no profile yet"));
              }
              Row r = rows.iterator().next();
              if (r.getBoolean("watching")) {
                return conn.preparedQuery(WatchlistSql.TOUCH).execute(Tuple.of(user, pair.symbol(), pair.timeframeLabel())).map(false);
              }
              String tier = r.getString("tier");
              if (limits != null && r.getLong("watched") >= limits.maxSymbols(tier)) {
                return Future.failedFuture(ErrorCode.FORBIDDEN.exception(
                    "the " + tier + " tier watches at most " + limits.maxSymbols(tier) + " pairs (MAX_SYMBOLS_" + tier.toUpperCase(java.util.Locale.ROOT) + "); remove one first"));
              }
              return conn.preparedQuery(WatchlistSql.ADD).execute(Tuple.of(user, pair.symbol(), pair.timeframeLabel())).map(inserted -> inserted.size() > 0);
            })))
        .recover(err -> err instanceof PgException pg && "23503".equals(pg.getSqlState())
            ? Future.failedFuture(ErrorCode.FORBIDDEN.exception("user " + user + " has no profile yet"))
            : Future.failedFuture(err));
  }

  /** Succeeds when the market lists the pair (or nothing checks it). */
  private Future<Void> listed(Pair pair) {
    if (catalog == null) {
      return Future.succeededFuture();
    }
    return catalog.lists(pair.symbol(), pair.timeframeLabel()).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(ErrorCode.UNAVAILABLE.exception(
            "cannot check " + pair.symbol() + " on " + catalog.marketName() + " now (" + ar.cause().getMessage() + "); try again shortly"));
      }
      return ar.result() ? Future.succeededFuture()
          : Future.failedFuture(ErrorCode.BAD_REQUEST.exception("unknown symbol on " + catalog.marketName() + ": " + pair.symbol() + " " + pair.timeframe() + " is not listed there"));
    });
  }

  /** True when the pair was removed, false when the user did not watch it. */
  public Future<Boolean> remove(UUID user, Pair pair) {
    return UserScope.asUser(chat, user, conn -> conn.preparedQuery(WatchlistSql.REMOVE).execute(Tuple.of(user, pair.symbol(), pair.timeframeLabel()))).map(rows -> rows.rowCount() > 0);
  }
}
