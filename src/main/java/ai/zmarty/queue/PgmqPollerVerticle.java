package ai.zmarty.queue;

import ai.zmarty.bus.Addresses;
import ai.zmarty.config.ZmartyConfig.QueueConfig;
import ai.zmarty.metrics.JobMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
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
 * {@code maxInFlight} messages are out per node; an empty queue is polled on a timer. A queue an
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
  private final RetryPolicy retry;
  private final Map<String, DeadLetterHook> hooks;
  private final JobMetrics metrics;
  /** How long a stopping node waits for its jobs in flight before handing the rest back. */
  static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(10);

  private final Set<String> waitingForCapacity = new LinkedHashSet<>();
  /** A message handed to a handler and not yet settled (msg_ids are per queue). */
  private record Outstanding(String queue, long msgId) {}

  private final Set<Outstanding> outstanding = new LinkedHashSet<>();
  private io.vertx.core.Promise<Void> drained;
  private int inFlight;
  private volatile long reads;
  private volatile boolean stopping;
  private static final long PAUSES_REFRESH_MS = 10_000;
  private final QueueAdmin pauses;
  private volatile java.util.Set<String> paused = Set.of();

  public PgmqPollerVerticle(PgmqClient client, QueueConfig config) {
    this(client, config, Map.of(), ai.zmarty.metrics.Metrics.disabled().jobs());
  }

  /** @param hooks what each queue's owner does, in the same transaction, when a message of it is dead-lettered */
  public PgmqPollerVerticle(PgmqClient client, QueueConfig config, Map<String, DeadLetterHook> hooks, JobMetrics metrics) {
    this.hooks = Map.copyOf(hooks);
    this.pauses = new QueueAdmin(client.pool(), config.deadLetterQueue());
    this.metrics = metrics;
    this.client = client;
    this.config = config;
    this.retry = new RetryPolicy(config.maxReads(), config.backoffBase(), config.backoffMax());
  }

  @Override
  public Future<?> start() {
    config.queues().forEach(metrics::register);
    var control = vertx.eventBus().<io.vertx.core.json.JsonObject>consumer(Addresses.QUEUE_CONTROL, m -> refreshPauses());
    vertx.setPeriodic(PAUSES_REFRESH_MS, id -> refreshPauses());
    // a pause that cannot be read yet does not hold the workers back: polling starts either way
    refreshPauses().onComplete(ar -> config.queues().forEach(this::poll));
    log.info("pgmq poller started for {} (max {} in flight, batch {})", config.queues(), config.maxInFlight(), config.batchSize());
    return control.completion();
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
    if (outstanding.isEmpty()) {
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

  /** One turn of a queue's loop; exactly one loop per queue is ever pending. */
  private void poll(String queue) {
    if (stopping) {
      return;
    }
    if (paused.contains(queue)) {
      vertx.setTimer(config.idlePoll().toMillis(), id -> poll(queue));
      return;
    }
    int capacity = Math.min(config.batchSize(), config.maxInFlight() - inFlight);
    if (capacity <= 0) {
      waitingForCapacity.add(queue);
      return;
    }
    reads++;
    client
        .read(queue, config.visibilityTimeout(), capacity)
        .onSuccess(
            messages -> {
              if (messages.isEmpty()) {
                vertx.setTimer(config.idlePoll().toMillis(), id -> poll(queue));
                return;
              }
              messages.forEach(m -> dispatch(queue, m));
              poll(queue);
            })
        .onFailure(
            err -> {
              if (!stopping) {
                log.warn("reading queue {} failed: {}", queue, err.getMessage());
              }
              vertx.setTimer(config.idlePoll().toMillis() * 2, id -> poll(queue));
            });
  }

  /** How many times the poller has called {@code pgmq.read} (an idle queue costs one per idle poll). */
  public long reads() {
    return reads;
  }

  private void dispatch(String queue, QueueMessage message) {
    inFlight++;
    outstanding.add(new Outstanding(queue, message.msgId()));
    long started = System.nanoTime();
    Job job = Job.of(queue, message);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(config.handlerTimeout().toMillis()).addHeader("msg_id", Long.toString(message.msgId()));
    vertx
        .eventBus()
        .request(Addresses.job(queue), job.toJson(), options)
        .compose(reply -> client.archive(queue, message.msgId()).map("archived"))
        .recover(failure -> onFailure(job, message, failure, started))
        .onComplete(
            outcome -> {
              inFlight--;
              outstanding.remove(new Outstanding(queue, message.msgId()));
              if (drained != null && outstanding.isEmpty()) {
                drained.tryComplete();
              }
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

  private Future<String> onFailure(Job job, QueueMessage message, Throwable failure, long started) {
    String queue = job.queue();
    boolean handlerMissing = failure instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
    boolean rejected = failure instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == JobHandler.REJECTED;
    String error = rejected ? "rejected: " + failure.getMessage() : describe(failure);
    if (failure instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == JobHandler.HANDED_BACK) {
      // the handler's node is stopping: not the job's fault, so no backoff and no step towards the dead letters
      return client.setVisibleAfter(queue, message.msgId(), java.time.Duration.ZERO).map(found -> {
        log.info("job handed back " + JobLog.PATTERN + " visible again now: {}", JobLog.with(JobLog.fields(job, (System.nanoTime() - started) / 1_000_000), failure.getMessage()));
        return "handed back";
      });
    }
    return switch (retry.decide(message.readCount(), handlerMissing, rejected)) {
      case RetryPolicy.DeadLetter d when rejected ->
          client.deadLetter(queue, message, config.deadLetterQueue(), error, hooks.get(queue)).map(id -> {
            // the sender's mistake, not a fault here: one WARN, no retries
            log.warn("job payload rejected, dead-lettered at once " + JobLog.PATTERN + " dead_letter_id={} reason={}", JobLog.with(JobLog.fields(job, (System.nanoTime() - started) / 1_000_000), id, failure.getMessage()));
            return "dead-lettered";
          });
      case RetryPolicy.DeadLetter d ->
          client.deadLetter(queue, message, config.deadLetterQueue(), error, hooks.get(queue)).map(id -> {
            log.error("job dead-lettered " + JobLog.PATTERN + " dead_letter_id={} error={}", JobLog.with(JobLog.fields(job, (System.nanoTime() - started) / 1_000_000), id, error));
            return "dead-lettered";
          });
      case RetryPolicy.Retry r ->
          client.setVisibleAfter(queue, message.msgId(), r.delay()).map(found -> {
            log.warn("job failed " + JobLog.PATTERN + " retry_in_s={} error={}", JobLog.with(JobLog.fields(job, (System.nanoTime() - started) / 1_000_000), r.delay().toSeconds(), error));
            return "retry scheduled";
          });
    };
  }

  private void resumeWaiting() {
    if (waitingForCapacity.isEmpty() || inFlight >= config.maxInFlight()) {
      return;
    }
    List<String> resume = List.copyOf(waitingForCapacity);
    waitingForCapacity.clear();
    resume.forEach(this::poll);
  }

  static String describe(Throwable failure) {
    if (failure instanceof ReplyException re) {
      return switch (re.failureType()) {
        case TIMEOUT -> "handler timed out: " + re.getMessage();
        case NO_HANDLERS -> "no handler registered: " + re.getMessage();
        default -> "handler failed (" + re.failureCode() + "): " + re.getMessage();
      };
    }
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }
}
