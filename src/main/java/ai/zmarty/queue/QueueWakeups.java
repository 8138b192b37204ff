package ai.zmarty.queue;

import ai.zmarty.config.ZmartyConfig.QueueConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the poller reads an empty queue again: after the idle poll, or at once when a send to it is
 * committed. Each insert into a queue notifies {@code pgmq_insert} with the queue's name (the
 * trigger of migration 20260109070000, put on each queue read here at start); this LISTENs on a
 * connection of its own. A notification that comes while the queue's read is in flight makes an
 * empty result read again at once (the read may have missed that send). After each (re)LISTEN
 * every queue is read, for what was sent while not listening. A busy queue may have several reads
 * in flight; at most one idle timer waits per queue. Used on the poller's event loop.
 */
final class QueueWakeups {
  private static final Logger log = LoggerFactory.getLogger(PgmqPollerVerticle.class);

  private final Vertx vertx;
  private final PgmqClient client;
  private final PgConnectOptions listenOn;
  private final QueueConfig config;
  private final Consumer<String> poll;
  private final Map<String, Long> idleTimers = new HashMap<>();
  /** Per queue, its reads in flight. */
  private final Map<String, Integer> reading = new HashMap<>();
  private final Set<String> woken = new HashSet<>();
  private PgSubscriber subscriber;

  /** @param listenOn database B; null: no LISTEN, the idle poll alone */
  QueueWakeups(Vertx vertx, PgmqClient client, PgConnectOptions listenOn, QueueConfig config, Consumer<String> poll) {
    this.vertx = vertx;
    this.client = client;
    this.listenOn = listenOn;
    this.config = config;
    this.poll = poll;
  }

  /** Starts listening; never fails (without it the idle poll still reads every queue). */
  Future<Void> listen() {
    if (listenOn == null) {
      return Future.succeededFuture();
    }
    Map<String, String> byName = new HashMap<>();
    config.queues().forEach(q -> byName.put(q.toLowerCase(Locale.ROOT), q));
    subscriber = PgSubscriber.subscriber(vertx, listenOn).reconnectPolicy(retries -> 1_000L);
    subscriber.channel(PgmqClient.INSERT_CHANNEL).subscribeHandler(v -> config.queues().forEach(this::wake)).handler(name -> {
      String queue = byName.get(name);
      if (queue != null) {
        wake(queue);
      }
    });
    Future<Void> triggers = Future.join(config.queues().stream().map(client::enableNotify).toList()).mapEmpty();
    return Future.join(triggers, subscriber.connect())
        .<Void>mapEmpty()
        .recover(err -> {
          log.warn("pgmq poller cannot LISTEN for sends ({}): an empty queue is read every {} ms", err.getMessage(), config.idlePoll().toMillis());
          return Future.succeededFuture();
        });
  }

  /** A send to {@code queue} was committed: read now if its loop is waiting, or again after the read in flight. */
  void wake(String queue) {
    Long timer = idleTimers.remove(queue);
    if (timer != null) {
      vertx.cancelTimer(timer);
      poll.accept(queue);
    } else if (reading.containsKey(queue)) {
      woken.add(queue);
    }
  }

  /** Reads {@code queue} after {@code millis}, or sooner on a send. */
  void idle(String queue, long millis) {
    Long before = idleTimers.remove(queue);
    if (before != null) {
      vertx.cancelTimer(before);
    }
    idleTimers.put(queue, vertx.setTimer(millis, id -> {
      idleTimers.remove(queue);
      poll.accept(queue);
    }));
  }

  void readStarted(String queue) {
    reading.merge(queue, 1, Integer::sum);
    woken.remove(queue);
  }

  void readEnded(String queue) {
    reading.computeIfPresent(queue, (q, n) -> n > 1 ? n - 1 : null);
  }

  /** How many reads of {@code queue} are in flight. */
  int reading(String queue) {
    return reading.getOrDefault(queue, 0);
  }

  /** Whether {@code queue}'s loop waits for a send or its idle poll. */
  boolean waiting(String queue) {
    return idleTimers.containsKey(queue);
  }

  /** Whether the loop whose read just ended is the queue's last: no other read in flight, none waiting. */
  boolean lastLoop(String queue) {
    return reading(queue) == 0 && !waiting(queue);
  }

  /** The queue's last loop read nothing: read again at once when a send was heard meanwhile, else wait. */
  void emptyRead(String queue) {
    if (woken.remove(queue)) {
      poll.accept(queue);
    } else {
      idle(queue, config.idlePoll().toMillis());
    }
  }

  Future<Void> close() {
    idleTimers.values().forEach(vertx::cancelTimer);
    idleTimers.clear();
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }
}
