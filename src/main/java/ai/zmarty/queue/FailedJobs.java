package ai.zmarty.queue;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the poller does with a message whose handler failed, timed out, was missing or rejected it:
 * hide it again with backoff, or move it to the dead-letter queue (at once for a rejected payload),
 * as {@link RetryPolicy} decides, with the job's log line. Two failures are not the job's fault
 * and make it visible again at once, with no backoff and no step towards the dead letters: a job its
 * stopping node handed back ({@link JobHandler#HANDED_BACK}), and one Vert.x discarded before any
 * handler saw it. Vert.x answers a request still waiting in a consumer's buffer when that consumer
 * unregisters (a node stopping), or one arriving at a full buffer, with a {@code TIMEOUT} failure at
 * once; a real timeout comes only after the handler timeout, which is how the two are told apart.
 * The outcome names what was done.
 */
final class FailedJobs {
  private static final Logger log = LoggerFactory.getLogger(PgmqPollerVerticle.class);

  private final PgmqClient client;
  private final RetryPolicy retry;
  private final String deadLetterQueue;
  private final Map<String, DeadLetterHook> hooks;
  private final long handlerTimeoutNanos;

  /** @param handlerTimeout the send timeout each job's request carries */
  FailedJobs(PgmqClient client, RetryPolicy retry, String deadLetterQueue, Map<String, DeadLetterHook> hooks, Duration handlerTimeout) {
    this.client = client;
    this.handlerTimeoutNanos = handlerTimeout.toNanos();
    this.retry = retry;
    this.deadLetterQueue = deadLetterQueue;
    this.hooks = Map.copyOf(hooks);
  }

  /**
   * {@code "dead-lettered"}, {@code "retry scheduled"}, {@code "handed back"} or {@code "discarded"}
   * once done; failed when the database could not record it.
   *
   * @param started {@link System#nanoTime()} just before the job's request was sent
   */
  Future<String> handle(Job job, QueueMessage message, Throwable failure, long started) {
    String queue = job.queue();
    if (discarded(failure, started)) {
      return client.setVisibleAfter(queue, message.msgId(), Duration.ZERO).map(found -> {
        log.info("job discarded before its handler saw it " + JobLog.PATTERN + " visible again now: {}", JobLog.with(JobLog.fields(job, msSince(started)), failure.getMessage()));
        return "discarded";
      });
    }
    boolean handlerMissing = failure instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
    boolean rejected = failure instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == JobHandler.REJECTED;
    String error = rejected ? "rejected: " + failure.getMessage() : describe(failure);
    if (failure instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == JobHandler.HANDED_BACK) {
      // the handler's node is stopping: not the job's fault, so no backoff and no step towards the dead letters
      return client.setVisibleAfter(queue, message.msgId(), Duration.ZERO).map(found -> {
        log.info("job handed back " + JobLog.PATTERN + " visible again now: {}", JobLog.with(JobLog.fields(job, msSince(started)), failure.getMessage()));
        return "handed back";
      });
    }
    return switch (retry.decide(message.readCount(), handlerMissing, rejected)) {
      case RetryPolicy.DeadLetter d when rejected ->
          client.deadLetter(queue, message, deadLetterQueue, error, hooks.get(queue)).map(id -> {
            // the sender's mistake, not a fault here: one WARN, no retries
            log.warn("job payload rejected, dead-lettered at once " + JobLog.PATTERN + " dead_letter_id={} reason={}", JobLog.with(JobLog.fields(job, msSince(started)), id, failure.getMessage()));
            return "dead-lettered";
          });
      case RetryPolicy.DeadLetter d ->
          client.deadLetter(queue, message, deadLetterQueue, error, hooks.get(queue)).map(id -> {
            log.error("job dead-lettered " + JobLog.PATTERN + " dead_letter_id={} error={}", JobLog.with(JobLog.fields(job, msSince(started)), id, error));
            return "dead-lettered";
          });
      case RetryPolicy.Retry r ->
          client.setVisibleAfter(queue, message.msgId(), r.delay()).map(found -> {
            log.warn("job failed " + JobLog.PATTERN + " retry_in_s={} error={}", JobLog.with(JobLog.fields(job, msSince(started)), r.delay().toSeconds(), error));
            return "retry scheduled";
          });
    };
  }

  /** A {@code TIMEOUT} sooner than the handler timeout: Vert.x discarded the request unseen. */
  private boolean discarded(Throwable failure, long started) {
    return failure instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT && System.nanoTime() - started < handlerTimeoutNanos;
  }

  private static long msSince(long started) {
    return (System.nanoTime() - started) / 1_000_000;
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
