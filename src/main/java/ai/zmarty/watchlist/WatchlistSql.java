package ai.zmarty.watchlist;

/** Database A statements of the watchlist package ({@code user_symbols}). */
final class WatchlistSql {
  private WatchlistSql() {}

  /** The caller's pairs, read as the user under RLS. */
  static final String LIST = "select symbol, timeframe, created_at from user_symbols order by created_at, id";
  /** A user's pairs by user id, read as the service. */
  static final String LIST_OF = "select symbol, timeframe from user_symbols where user_id = $1 order by created_at, id";
  /** Returns a row only when the pair was new for the user. */
  static final String ADD =
      "insert into user_symbols (user_id, symbol, timeframe) values ($1, $2, $3) on conflict (user_id, symbol, timeframe) do nothing returning created_at";
  static final String REMOVE = "delete from user_symbols where user_id = $1 and symbol = $2 and timeframe = $3";
}
