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
  /** Serialises one user's adds: the count and the insert below see each other's rows. */
  static final String LOCK_USER = "select pg_advisory_xact_lock(hashtextextended('user_symbols:' || $1::uuid::text, 0))";
  /** The user's tier, how many pairs they watch, and whether they watch pair ($2, $3) already. */
  static final String TIER_AND_COUNT =
      "select p.tier, (select count(*) from user_symbols s where s.user_id = $1) as watched,"
          + " exists (select 1 from user_symbols s where s.user_id = $1 and s.symbol = $2 and s.timeframe = $3) as watching"
          + " from profiles p where p.id = $1";
  /** An update that keeps the row: the sync carries it to B as an UPDATE, which resumes a paused watcher. */
  static final String TOUCH = "update user_symbols set timeframe = timeframe where user_id = $1 and symbol = $2 and timeframe = $3";
}
