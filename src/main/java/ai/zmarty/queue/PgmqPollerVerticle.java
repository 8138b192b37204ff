package ai.zmarty.queue;

import ai.zmarty.bus.Addresses;
import ai.zmarty.config.ZmartyConfig.QueueConfig;
import ai.zmarty.metrics.JobMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.pgclient.PgConnectOptions;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges database B's pgmq queues onto the bus: each message goes to {@code jobs.<queue>} as a
 * request; a success reply archives it, a failure or timeout hides it again with exponential
 * backoff, and after too many reads it moves to the dead-letter queue. A payload its handler
 * rejects ({@link JobHandler#reject}: it breaks its contract) is dead-lettered at once. At most
 * {@code maxInFlight} messages are out per node. Successes are archived in batches ({@link
 * ArchiveBatcher}: what finishes while one archive statement runs goes in the next). An empty queue
 * waits for a send: the poller LISTENs on {@code pgmq_insert} (each insert into a queue notifies it,
 * migration 20260109070000) and reads at once; the idle poll timer stays as the fallback. The
 * depth the jobs carry is measured at most once a second per queue (a count over the queue). A queue an
 * operator paused ({@code queue_pauses}) is not read until resumed: the poller loads the pauses at
 * start, hears each change on {@code ops.queue.control} at once, and re-reads them every
 * {@link #PAUSES_REFRESH_MS} in case it missed one; messages already handed out finish. Stopping
 * (SIGTERM) reads nothing more, lets the jobs in flight finish for up to {@link #STOP_GRACE}, and
 * hands back the rest: visible again at once, for another node, instead of after their timeout.
 */
public final class PgmqPollerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(PgmqPollerVerticle.class);

  private final PgmqClient client;
  private final QueueConfig config;
  private final FailedJobs failures;
  private final JobMetrics metrics;
  private final ArchiveBatcher archives;
  /** Where to LISTEN for sends; null: poll only. */
  private final PgConnectOptions listenOn;
  private QueueWakeups wakeups;
  /** Per queue: the depth last measured, and when (nanoTime). */
  private final Map<String, long[]> depths = new HashMap<>();
  private static final long DEPTH_EVERY_NANOS = 1_000_000_000L;
  /** How long a stopping node waits for its jobs in flight before handing the rest back. */
  static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(10);

  private final Set<String> waitingForCapacity = new LinkedHashSet<>();
  /** A message handed to a handler and not yet settled (msg_ids are per queue). */
  private record Outstanding(String queue, long msgId) {}

  private final Set<Outstanding> outstanding = new LinkedHashSet<>();
  private io.vertx.core.Promise<Void> drained;
  private int inFlight;
  /** Slots the reads in flight asked for: they may come back with that many messages. */
  private int reserved;
  private boolean resumeScheduled;
  private volatile long reads;
  private volatile boolean stopping;
  private static final long PAUSES_REFRESH_MS = 10_000;
  private final QueueAdmin pauses;
  private volatile java.util.Set<String> paused = Set.of();

  /** A poller that only polls (no LISTEN): an empty queue is read again after the idle poll. */
  public PgmqPollerVerticle(PgmqClient client, QueueConfig config) {
    this(client, config, Map.of(), ai.zmarty.metrics.Metrics.disabled().jobs(), null);
  }

  /**
   * @param hooks what each queue's owner does, in the same transaction, when a message of it is dead-lettered
   * @param listenOn database B, for a connection of its own that LISTENs for sends; null to poll only
   */
  public PgmqPollerVerticle(PgmqClient client, QueueConfig config, Map<String, DeadLetterHook> hooks, JobMetrics metrics, PgConnectOptions listenOn) {
    this.pauses = new QueueAdmin(client.pool(), config.deadLetterQueue());
    this.metrics = metrics;
    this.client = client;
    this.config = config;
    this.listenOn = listenOn;
    this.failures = new FailedJobs(client, new RetryPolicy(config.maxReads(), config.backoffBase(), config.backoffMax()), config.deadLetterQueue(), hooks, config.handlerTimeout());
    this.archives = new ArchiveBatcher(client::archive, Math.max(config.maxInFlight(), 1));
  }

  @Override
  public Future<?> start() {
    config.queues().forEach(metrics::register);
    wakeups = new QueueWakeups(vertx, client, listenOn, config, this::poll);
    var control = vertx.eventBus().<io.vertx.core.json.JsonObject>consumer(Addresses.QUEUE_CONTROL, m -> refreshPauses());
    vertx.setPeriodic(PAUSES_REFRESH_MS, id -> refreshPauses());
    // a pause that cannot be read yet does not hold the workers back: polling starts either way
    refreshPauses().onComplete(ar -> config.queues().forEach(this::poll));
    log.info("pgmq poller started for {} (max {} in flight, batch {})", config.queues(), config.maxInFlight(), config.batchSize());
    return Future.join(control.completion(), wakeups.listen());
  }

  private Future<Void> refreshPauses() {
    return pauses.paused().onSuccess(list -> {
      java.util.Set<String> now = list.stream().map(p -> p.getString("queue")).collect(java.util.stream.Collectors.toUnmodifiableSet());
      if (!now.equals(paused)) {
        log.info("pgmq poller paused queues now {}", now);
      }
      paused = now;
    }).<Void>mapEmpty().onFailure(err -> log.warn("cannot read the queue pauses: {}", err.getMessage()));
  }

  /** The queues this poller is not reading now (paused by an operator). */
  public java.util.Set<String> paused() {
    return paused;
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    wakeups.close();
    if (outstanding.isEmpty() && reserved == 0) {
      return Future.succeededFuture();
    }
    drained = io.vertx.core.Promise.promise();
    long timer = vertx.setTimer(STOP_GRACE.toMillis(), id -> handBack());
    log.info("pgmq poller stopping: waiting up to {} s for {} job(s) in flight", STOP_GRACE.toSeconds(), outstanding.size());
    return drained.future().onComplete(v -> vertx.cancelTimer(timer));
  }

  /** The grace is over: what is still running goes back to its queue, visible at once. */
  private void handBack() {
    List<Outstanding> left = List.copyOf(outstanding);
    List<Future<Boolean>> back = left.stream().map(o -> client.setVisibleAfter(o.queue(), o.msgId(), java.time.Duration.ZERO)).toList();
    Future.join(back).onComplete(ar -> {
      log.warn("pgmq poller stopped with {} job(s) still running: handed back to their queues, visible again now ({})", left.size(), left);
      drained.tryComplete();
    });
  }

  /**
   * One turn of a queue's read loop. A queue has one loop while it is quiet and up to {@code
   * readers} while it is busy: a read that comes back full starts another loop beside its own
   * ({@code pgmq.read} locks what it hands out, so reads in flight together take different
   * messages). The slots a read asks for are reserved while it runs, so the reads in flight never
   * hand out more than {@code maxInFlight} together. An empty read ends its loop while another read
   * of the queue is in flight or waiting; the last one waits for a send or the idle poll.
   */
  private void poll(String queue) {
    if (stopping) {
      return;
    }
    if (paused.contains(queue)) {
      if (!wakeups.waiting(queue)) {
        wakeups.idle(queue, config.idlePoll().toMillis());
      }
      return;
    }
    int capacity = Math.min(config.batchSize(), config.maxInFlight() - inFlight - reserved);
    if (capacity <= 0) {
      waitingForCapacity.add(queue);
      return;
    }
    reads++;
    reserved += capacity;
    wakeups.readStarted(queue);
    long[] depth = depths.computeIfAbsent(queue, q -> new long[] {-1, 0});
    long now = System.nanoTime();
    boolean measure = depth[0] < 0 || now - depth[1] >= DEPTH_EVERY_NANOS;
    client
        .read(queue, config.visibilityTimeout(), capacity, measure)
        .onComplete(ar -> {
          reserved -= capacity;
          wakeups.readEnded(queue);
        })
        .onSuccess(
            messages -> {
              if (stopping) {
                handBackUnstarted(queue, messages);
                return;
              }
              if (messages.isEmpty()) {
                // beside another read in flight or a waiting loop this loop just ends: that one
                // carries on and sees any send this one missed
                if (wakeups.lastLoop(queue)) {
                  wakeups.emptyRead(queue);
                }
                return;
              }
              if (measure) {
                depth[0] = messages.getFirst().queueDepth();
                depth[1] = now;
              }
              messages.forEach(m -> dispatch(queue, m, depth[0]));
              poll(queue);
              if (messages.size() == capacity && wakeups.reading(queue) < config.readers()) {
                poll(queue);
              }
            })
        .onFailure(
            err -> {
              if (!stopping) {
                log.warn("reading queue {} failed: {}", queue, err.getMessage());
              }
              if (wakeups.lastLoop(queue)) {
                wakeups.idle(queue, config.idlePoll().toMillis() * 2);
              }
            })
        .onComplete(ar -> finishIfDrained());
  }

  /** Messages a read brought back after the stop began: given back at once, never started. */
  private void handBackUnstarted(String queue, List<QueueMessage> messages) {
    for (QueueMessage m : messages) {
      Outstanding o = new Outstanding(queue, m.msgId());
      outstanding.add(o);
      client.setVisibleAfter(queue, m.msgId(), java.time.Duration.ZERO).onComplete(ar -> {
        outstanding.remove(o);
        finishIfDrained();
      });
    }
    if (!messages.isEmpty()) {
      log.info("pgmq poller stopping: {} message(s) of {} read as the stop began handed back unstarted", messages.size(), queue);
    }
  }

  /** While stopping: complete the stop once no job and no read is left. */
  private void finishIfDrained() {
    if (drained != null && outstanding.isEmpty() && reserved == 0) {
      drained.tryComplete();
    }
  }

  /** How many times the poller has called {@code pgmq.read} (an idle queue costs one per idle poll). */
  public long reads() {
    return reads;
  }

  /** @param depth the queue's depth as last measured */
  private void dispatch(String queue, QueueMessage message, long depth) {
    inFlight++;
    outstanding.add(new Outstanding(queue, message.msgId()));
    long started = System.nanoTime();
    Job job = new Job(queue, message.msgId(), message.readCount(), message.enqueuedAt().toString(), message.message(), depth);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(config.handlerTimeout().toMillis()).addHeader("msg_id", Long.toString(message.msgId()));
    vertx
        .eventBus()
        .request(Addresses.job(queue), job.toJson(), options)
        .compose(reply -> archives.archive(queue, message.msgId()).map("archived"))
        .recover(failure -> failures.handle(job, message, failure, started))
        .onComplete(
            outcome -> {
              inFlight--;
              outstanding.remove(new Outstanding(queue, message.msgId()));
              finishIfDrained();
              long nanos = System.nanoTime() - started;
              long jobMs = nanos / 1_000_000;
              if (outcome.succeeded()) {
                metrics.job(queue, switch (outcome.result()) {
                  case "archived" -> JobMetrics.Outcome.ARCHIVED;
                  case "dead-lettered" -> JobMetrics.Outcome.DEAD_LETTERED;
                  default -> JobMetrics.Outcome.RETRIED;
                }, nanos);
                log.info("job " + outcome.result() + " " + JobLog.PATTERN, (Object[]) JobLog.fields(job, jobMs));
              } else {
                // The message keeps the visibility timeout it got at read time and comes back then.
                log.warn("job outcome not recorded " + JobLog.PATTERN + ": {}", JobLog.with(JobLog.fields(job, jobMs), outcome.cause().getMessage()));
              }
              resumeWaiting();
            });
  }

  /**
   * Queues that stopped for capacity read again once half a batch of slots is free, after the
   * settlements of this turn (an archive statement settles many jobs at once): reading one message
   * per freed slot would cost a read per job.
   */
  private void resumeWaiting() {
    int free = config.maxInFlight() - inFlight - reserved;
    if (waitingForCapacity.isEmpty() || resumeScheduled || free < Math.max(1, Math.min(config.batchSize(), config.maxInFlight()) / 2)) {
      return;
    }
    resumeScheduled = true;
    vertx.runOnContext(v -> {
      resumeScheduled = false;
      List<String> resume = List.copyOf(waitingForCapacity);
      waitingForCapacity.clear();
      resume.forEach(this::poll);
    });
  }
}
