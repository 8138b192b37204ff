package ai.zmarty.demo;

import ai.zmarty.credit.CreditLedger;
import ai.zmarty.credit.Tier;
import ai.zmarty.market.Pair;
import ai.zmarty.market.Timeframe;
import ai.zmarty.watchlist.Watchlist;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * The demo's user: pro tier, 1,000 credits (granted through the credit package), watching BTC/USDT
 * and ETH/USDT on 1h. Created on the first start only; a restarted demo finds it and changes nothing.
 */
public final class DemoSeed {
  public static final UUID DEMO_USER = UUID.fromString("00000000-0000-4000-8000-00000000d3e0");
  public static final long DEMO_CREDITS = 1000;
  static final String DEMO_EMAIL = "demo@zmarty.local";
  public static final List<Pair> DEMO_PAIRS = List.of(new Pair("BTC/USDT", Timeframe.H1), new Pair("ETH/USDT", Timeframe.H1));

  /** The operator the local demo signs its admin-page link for (a token only: no account behind it). */
  public static final UUID DEMO_OPERATOR = UUID.fromString("00000000-0000-4000-8000-0000000000ad");

  /** The outside signal source the demo creates; its key is rotated and printed at each start ({@link DemoSignal}). */
  public static final String DEMO_SOURCE = "demo";

  private DemoSeed() {}

  /** True when the user was created now, false when it already existed. */
  public static Future<Boolean> ensure(Pool chat) {
    return chat.withTransaction(conn ->
            conn.preparedQuery(DemoSql.CREATE_AUTH_USER).execute(Tuple.of(DEMO_USER, DEMO_EMAIL))
                .compose(r -> CreditLedger.openAccount(conn, DEMO_USER, Tier.PRO, DEMO_CREDITS, "demo grant", "demo-grant")))
        .compose(created -> {
          if (!created) {
            return Future.succeededFuture(false);
          }
          // Added as the user, like the API would, so the sync trigger carries them to B.
          Watchlist watchlist = new Watchlist(chat);
          Future<Boolean> chain = Future.succeededFuture(true);
          for (Pair p : DEMO_PAIRS) {
            chain = chain.compose(v -> watchlist.add(DEMO_USER, p)).map(true);
          }
          return chain;
        });
  }
}
