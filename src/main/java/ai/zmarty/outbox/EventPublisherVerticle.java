package ai.zmarty.outbox;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes database B's {@code event_outbox} rows on the (clustered) bus after their transaction
 * committed, oldest first, then marks them published; wakes on {@code NOTIFY event_outbox} and on a
 * poll. Runs on every worker node: a row is claimed before it is published, so each goes out once
 * unless its publisher dies between publishing and marking (then once more, after the claim
 * lapses). Published rows are deleted after a day.
 */
public final class EventPublisherVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(EventPublisherVerticle.class);
  static final int BATCH = 200;
  static final Duration CLAIM = Duration.ofSeconds(30);
  static final Duration RETENTION = Duration.ofDays(1);

  private final Pool trading;
  private final PgConnectOptions listenOn;
  private final Duration poll;
  private PgSubscriber subscriber;
  private long pollTimer = -1;
  private long purgeTimer = -1;
  private final BatchLoop loop = new BatchLoop(() -> publishBatch().map(n -> n == BATCH),
      err -> log.warn("event publisher batch failed (tried again at the next poll): {}", err.toString()));

  public EventPublisherVerticle(Pool trading, PgConnectOptions listenOn, Duration poll) {
    this.trading = trading;
    this.listenOn = listenOn;
    this.poll = poll;
  }

  @Override
  public Future<?> start() {
    pollTimer = vertx.setPeriodic(poll.toMillis(), id -> wake());
    purgeTimer = vertx.setPeriodic(Duration.ofMinutes(10).toMillis(), id -> purge());
    subscriber = PgSubscriber.subscriber(vertx, listenOn).reconnectPolicy(retries -> 1_000L);
    subscriber.channel(OutboxSql.CHANNEL).subscribeHandler(v -> wake()).handler(id -> wake());
    return subscriber.connect()
        .recover(err -> {
          log.warn("event publisher cannot LISTEN {}: {}; relying on the {} ms poll", OutboxSql.CHANNEL, err.getMessage(), poll.toMillis());
          return Future.succeededFuture();
        })
        .onSuccess(v -> wake());
  }

  @Override
  public Future<?> stop() {
    loop.stop();
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(purgeTimer);
    return subscriber.close();
  }

  /** One batch now, or right after the one in progress. */
  private void wake() {
    loop.wake();
  }

  private Future<Integer> publishBatch() {
    return trading.preparedQuery(OutboxSql.CLAIM).execute(Tuple.of(BATCH, (double) CLAIM.toSeconds())).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(0);
      }
      List<Row> claimed = new ArrayList<>();
      rows.forEach(claimed::add);
      claimed.sort((a, b) -> Long.compare(a.getLong("id"), b.getLong("id")));
      Long[] ids = new Long[claimed.size()];
      for (int i = 0; i < ids.length; i++) {
        Row r = claimed.get(i);
        ids[i] = r.getLong("id");
        vertx.eventBus().publish(r.getString("address"), new JsonObject(r.getString("body")));
      }
      return trading.preparedQuery(OutboxSql.MARK_PUBLISHED).execute(Tuple.of(ids)).map(claimed.size());
    });
  }

  private void purge() {
    trading.preparedQuery(OutboxSql.PURGE).execute(Tuple.of((double) RETENTION.toSeconds(), 10_000))
        .onFailure(err -> log.warn("event outbox purge failed: {}", err.toString()));
  }
}
