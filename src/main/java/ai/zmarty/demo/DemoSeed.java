package ai.zmarty.demo;

import ai.zmarty.market.Pair;
import ai.zmarty.market.Timeframe;
import ai.zmarty.watchlist.Watchlist;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * The demo's user: pro tier, 1,000 credits, watching BTC/USDT and ETH/USDT on 1h. Created on the
 * first start only; a restarted demo finds it and changes nothing.
 */
public final class DemoSeed {
  public static final UUID DEMO_USER = UUID.fromString("00000000-0000-4000-8000-00000000d3e0");
  public static final long DEMO_CREDITS = 1000;
  public static final List<Pair> DEMO_PAIRS = List.of(new Pair("BTC/USDT", Timeframe.H1), new Pair("ETH/USDT", Timeframe.H1));

  private DemoSeed() {}

  /** True when the user was created now, false when it already existed. */
  public static Future<Boolean> ensure(Pool chat) {
    return chat.withTransaction(conn ->
            conn.preparedQuery("insert into auth.users (id, email) values ($1, 'demo@zmarty.local') on conflict (id) do nothing").execute(Tuple.of(DEMO_USER))
                .compose(r -> conn.preparedQuery("insert into profiles (id, tier) values ($1, 'pro') on conflict (id) do nothing returning id").execute(Tuple.of(DEMO_USER)))
                .compose(created -> {
                  if (created.size() == 0) {
                    return Future.succeededFuture(false);
                  }
                  return conn.preparedQuery("insert into credits_ledger (user_id, delta, reason, request_id, units) values ($1, $2, 'demo grant', 'demo-grant', $3) on conflict (request_id) do nothing")
                      .execute(Tuple.of(DEMO_USER, DEMO_CREDITS, new JsonObject()))
                      .map(true);
                }))
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
