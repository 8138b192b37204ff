package ai.zmarty.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.db.Pools;
import ai.zmarty.ingest.IngestVerticle;
import ai.zmarty.market.SimulatedMarket;
import ai.zmarty.queue.Job;
import ai.zmarty.queue.PgmqClient;
import ai.zmarty.signal.DoublingGuard;
import ai.zmarty.signal.DoublingGuard.Position;
import ai.zmarty.signal.SignalVerticle;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The doubling guardrails on the paper book, as the signal job runs them. */
@ExtendWith(VertxExtension.class)
class PositionBookTest {
  static final Instant NOW = Instant.parse("2026-02-10T12:34:00Z");

  private static JsonObject request(Vertx vertx, String queue, String symbol) throws Exception {
    JsonObject payload = new JsonObject().put("symbol", symbol).put("timeframe", "1h");
    return vertx.eventBus().<JsonObject>request(Addresses.job(queue), new Job(queue, 1, 1, NOW.toString(), payload).toJson()).await(20, TimeUnit.SECONDS).body();
  }

  @Test
  void everyNewSignalIsDecidedOnceAndTheBookFollowsTheGuards(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    // A cooldown of one bar and an easy score delta, so that opens, doubles and skips all occur.
    var config = dbs.config(Map.of("COOLDOWN_SECONDS", "3600", "SCORE_DELTA_THRESHOLD", "0.02", "VOLATILITY_THRESHOLD", "0.05"));
    Pool pool = Pools.create(vertx, dbs.trading(), 4, "test");
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    SimulatedMarket market = new SimulatedMarket(42, clock);
    vertx.deployVerticle(new IngestVerticle(pool, market, new PgmqClient(pool), clock)).await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new SignalVerticle(pool, new PgmqClient(pool), DoublingGuard.of(config.guardrails()))).await(10, TimeUnit.SECONDS);

    request(vertx, Addresses.QUEUE_INGEST_INDICATORS, "BTC/USDT");
    request(vertx, Addresses.QUEUE_COMPUTE_SIGNALS, "BTC/USDT");

    long trades = Sql.count(dbs.trading(), "select count(*) from signals where symbol = 'BTC/USDT' and direction <> 'flat'");
    assertThat(trades).isPositive();
    assertThat(Sql.count(dbs.trading(), "select count(*) from doubling_decisions where symbol = 'BTC/USDT'")).isEqualTo(trades);
    assertThat(Sql.count(dbs.trading(), "select count(*) from doubling_decisions where action = 'skip' and guard is null")).isZero();

    // The recorded decisions are exactly what the pure guard decides over the same signals.
    DoublingGuard guard = DoublingGuard.of(config.guardrails());
    Optional<Position> position = Optional.empty();
    List<String> rows = Sql.column(dbs.trading(), """
        select json_build_object('direction', s.direction, 'score', s.score::float8, 'bar', s.bar_time, 'atr', r.atr_pct::float8,
                                 'action', d.action, 'guard', d.guard, 'size', d.position_pct)::text
        from signals s join doubling_decisions d on d.signal_id = s.id
        left join risk_metric r on r.symbol = s.symbol and r.timeframe = s.timeframe and r.bar_time = s.bar_time
        where s.symbol = 'BTC/USDT' order by s.bar_time""");
    int doubles = 0;
    for (String row : rows) {
      JsonObject r = new JsonObject(row);
      var verdict = guard.decide(position, r.getString("direction"), r.getDouble("score"), r.getDouble("atr"), java.time.OffsetDateTime.parse(r.getString("bar")).toInstant());
      assertThat(r.getString("action")).isEqualTo(verdict.action().name().toLowerCase());
      assertThat(r.getString("guard")).isEqualTo(verdict.guard().orElse(null));
      assertThat(r.getDouble("size")).isEqualTo(verdict.position().sizePct());
      doubles += verdict.action() == DoublingGuard.Action.DOUBLE ? 1 : 0;
      position = Optional.of(verdict.position());
    }
    assertThat(Sql.one(dbs.trading(), "select size_pct from paper_positions where symbol = 'BTC/USDT'")).isEqualTo(Double.toString(position.orElseThrow().sizePct()));
    assertThat(Sql.count(dbs.trading(), "select max(position_pct) * 1000 from doubling_decisions")).isLessThanOrEqualTo(100);
    assertThat(new JsonArray(Sql.column(dbs.trading(), "select distinct action from doubling_decisions order by 1"))).contains("open", "skip");

    // A redelivered job decides nothing again.
    request(vertx, Addresses.QUEUE_COMPUTE_SIGNALS, "BTC/USDT");
    assertThat(Sql.count(dbs.trading(), "select count(*) from doubling_decisions where symbol = 'BTC/USDT'")).isEqualTo(trades);
    System.out.println("decisions: " + rows.size() + ", doubles: " + doubles);
    pool.close().await(5, TimeUnit.SECONDS);
  }
}
