package ai.zmarty.lens;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.config.LensPublishConfig;
import ai.zmarty.lens.JudgeRule.Pending;
import ai.zmarty.lens.JudgeRule.Scored;
import ai.zmarty.market.MarketDataProvider;
import ai.zmarty.winrate.Resolution;
import ai.zmarty.winrate.Resolution.Batch;
import ai.zmarty.winrate.Resolution.OpenSignal;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores the judges on a worker: every {@code LENS_JUDGE_INTERVAL} (and on a request to {@code
 * lens.judge.run}) the model decisions whose horizon has passed are resolved against the market's
 * candles after the bar they were made in ({@link JudgeRule}) and their outcome, return and
 * {@code resolved_at} written. Writing only touches unresolved rows, so workers doing it at once
 * never count a decision twice. Reply: {@code {"resolved", "not_scored", "pending"}}.
 */
public final class JudgeVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(JudgeVerticle.class);
  /** Decisions looked at per run; the rest wait for the next. */
  static final int MAX_DECISIONS = 2_000;
  /** Bars fetched per symbol per run. */
  static final int MAX_BARS = 2_000;

  private final JudgeStore store;
  private final MarketDataProvider market;
  private final Clock clock;
  private final LensPublishConfig config;
  private MessageConsumer<JsonObject> consumer;
  private long timer = -1;
  private boolean running;

  public JudgeVerticle(Pool trading, MarketDataProvider market, Clock clock, LensPublishConfig config) {
    this.store = new JudgeStore(trading);
    this.market = market;
    this.clock = clock;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.LENS_JUDGE_RUN, msg -> run().onSuccess(msg::reply).onFailure(err -> {
      log.warn("judging failed: {}", err.toString());
      msg.fail(ErrorCode.INTERNAL.failureCode(), "judging failed: " + err.getMessage());
    }));
    timer = vertx.setPeriodic(config.judgeInterval().toMillis(), id -> {
      if (!running) {
        running = true;
        run().onComplete(ar -> running = false).onFailure(err -> log.warn("judging failed: {}", err.toString()));
      }
    });
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  Future<JsonObject> run() {
    Duration bar = config.judgeTimeframe().duration();
    int horizon = config.judgeHorizonBars();
    Instant decidedBy = clock.instant().minus(bar.multipliedBy(horizon + 1L));
    return store.due(decidedBy, MAX_DECISIONS).compose(due -> {
      List<Scored> settled = new ArrayList<>();
      Map<String, List<Pending>> bySymbol = new LinkedHashMap<>();
      for (Pending p : due) {
        if (JudgeRule.scored(p)) {
          bySymbol.computeIfAbsent(p.symbol(), k -> new ArrayList<>()).add(p);
        } else {
          settled.add(new Scored(p.decisionId(), null, null)); // a close signal: resolved, not scored
        }
      }
      List<Future<List<Scored>>> perSymbol = new ArrayList<>();
      bySymbol.forEach((symbol, list) -> perSymbol.add(scoreSymbol(symbol, list, bar, horizon)));
      return Future.join(perSymbol).transform(ignored -> {
        for (Future<List<Scored>> f : perSymbol) {
          if (f.succeeded()) {
            settled.addAll(f.result());
          } else {
            log.warn("judging: candles unavailable, those decisions wait: {}", f.cause().toString());
          }
        }
        long outcomes = settled.stream().filter(s -> s.outcome() != null).count();
        return store.resolve(settled).map(written -> new JsonObject()
            .put("resolved", outcomes)
            .put("not_scored", settled.size() - outcomes)
            .put("written", written)
            .put("pending", due.size() - settled.size()));
      });
    }).onSuccess(r -> {
      if (r.getInteger("written") > 0) {
        log.info("judged decisions resolved={} not_scored={} pending={}", r.getInteger("resolved"), r.getInteger("not_scored"), r.getInteger("pending"));
      }
    });
  }

  /** Fetches the bars after one symbol's due decisions and scores them; those the bars do not settle wait. */
  private Future<List<Scored>> scoreSymbol(String symbol, List<Pending> pending, Duration bar, int horizon) {
    List<OpenSignal> open = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      open.add(JudgeRule.open(pending.get(i), i, bar, horizon));
    }
    java.util.Optional<Batch> batch = Resolution.plan(open, bar, clock.instant(), MAX_BARS);
    if (batch.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Batch b = batch.get();
    return market.candles(symbol, config.judgeTimeframe().label(), b.from(), b.to()).map(candles -> {
      List<Scored> out = new ArrayList<>();
      for (OpenSignal s : b.due()) {
        Pending p = pending.get((int) s.id());
        JudgeRule.score(p, s, candles, bar).ifPresent(out::add);
      }
      return out;
    });
  }
}
