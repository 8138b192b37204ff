package ai.zmarty.bench;

import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Locale;
import java.util.Map;

/**
 * The evaluation worker's own cost with the offline rules: {@code N} enriched events (inserted with
 * SQL) whose {@code lens_evaluate} messages are sent at {@code RATE} a second to a worker node on
 * the embedded PostgreSQL; each event's time from its message's {@code enqueued_at} to its {@code
 * published_at} (the poller's pick-up, the rules, the decision rows, the bus message and the
 * status). Run: {@code bench/lens-evaluate/run.sh [events] [per-second] [QUEUE_IDLE_POLL]}.
 */
public final class LensEvaluateBench {
  private LensEvaluateBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    String idlePoll = args.length > 2 ? args[2] : "1s";
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Sql.exec(dbs.trading(), "insert into lens.sources (name, key_hash, key_prefix) values ('bench', decode('01', 'hex'), 'zks_bench')");
    Sql.exec(dbs.trading(), """
        with ids as (select gen_random_uuid() as id, g from generate_series(1, %d) g)
        , e as (insert into lens.events (event_id, source, body_hash, event_type, symbol, direction, entry_price, ts_utc, feature_profile, body, status, enriched_at)
                select id, 'bench', 'h' || g, 'OPEN_SIGNAL', 'BTC/USDT', case when g %% 2 = 0 then 'long' else 'short' end, 64000, now(), 'trend_follow_v1', '{}', 'enriched', now() from ids returning event_id)
        insert into lens.enriched_events (event_id, provider, provider_version, signal_age_seconds, model_payload, enrichment_duration_ms)
        select event_id, 'simulated', 'bench', 1, '{"ta":{"15m":{"ema_9":101,"ema_21":100,"ema_50":99,"rsi_14":58,"atr_14":120},"1h":{"ema_9":102,"ema_21":100,"ema_50":98,"rsi_14":61,"atr_14":300},"4h":{"ema_9":97,"ema_21":100,"ema_50":101,"rsi_14":45,"atr_14":700}},"derivatives":{"funding_1h":0.0000125},"quality":{}}', 1 from e
        """.formatted(n));
    Vertx vertx = Vertx.vertx();
    TestNode.start(vertx, dbs.config(Map.of("ROLES", "worker", "QUEUE_NAMES", "lens_evaluate", "QUEUE_IDLE_POLL", idlePoll, "LOG_LEVEL", "WARN")), dbs.chat(), dbs.trading());
    java.util.List<String> ids = Sql.column(dbs.trading(), "select event_id from lens.events where source = 'bench'");
    long started = System.nanoTime();
    try (Connection c = Sql.connect(dbs.trading());
        PreparedStatement send = c.prepareStatement("select pgmq.send('lens_evaluate', jsonb_build_object('event_id', ?::text))")) {
      for (int i = 0; i < n; i++) {
        long due = started + i * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        send.setString(1, ids.get(i));
        send.execute();
      }
    }
    long sent = System.nanoTime();
    while (Sql.count(dbs.trading(), "select count(*) from lens.events where status = 'published'") < n) {
      Thread.sleep(100);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    String q = """
        select round(percentile_cont(%s) within group (order by extract(epoch from e.published_at - a.enqueued_at) * 1000)::numeric, 1)
        from lens.events e join pgmq.a_lens_evaluate a on a.message->>'event_id' = e.event_id::text
        """;
    System.out.printf(Locale.ROOT, "events %d at %d/s (sent in %.1f s, all published after %.1f s), QUEUE_IDLE_POLL %s%n", n, rate, (sent - started) / 1e9, seconds, idlePoll);
    System.out.printf(Locale.ROOT, "enqueued → published ms: p50 %s  p95 %s  p99 %s  max %s%n", Sql.one(dbs.trading(), q.formatted("0.5")), Sql.one(dbs.trading(), q.formatted("0.95")),
        Sql.one(dbs.trading(), q.formatted("0.99")), Sql.one(dbs.trading(), q.formatted("1.0")));
    System.out.printf(Locale.ROOT, "decisions %s, statuses %s%n", Sql.one(dbs.trading(), "select count(*) from lens.model_decisions"),
        Sql.column(dbs.trading(), "select decision || ':' || count(*) from lens.model_decisions group by decision order by decision"));
    vertx.close().await();
    System.exit(0);
  }
}
