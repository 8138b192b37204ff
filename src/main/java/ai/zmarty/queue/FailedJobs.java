package ai.zmarty.queue;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the poller does with a message whose handler failed, timed out, was missing or rejected it:
 * hide it again with backoff, or move it to the dead-letter queue (at once for a rejected payload),
 * as {@link RetryPolicy} decides, with the job's log line; a job its stopping node handed back
 * ({@link JobHandler#HANDED_BACK}) is visible again at once. The outcome names what was done.
 */
final class FailedJobs {
  private static final Logger log = LoggerFactory.getLogger(PgmqPollerVerticle.class);

  private final PgmqClient client;
  private final RetryPolicy retry;
  private final String deadLetterQueue;
  private final Map<String, DeadLetterHook> hooks;

  FailedJobs(PgmqClient client, RetryPolicy retry, String deadLetterQueue, Map<String, DeadLetterHook> hooks) {
    this.client = client;
    this.retry = retry;
    this.deadLetterQueue = deadLetterQueue;
    this.hooks = Map.copyOf(hooks);
  }

  /** {@code "dead-lettered"} or {@code "retry scheduled"} once done; failed when the database could not record it. */
  Future<String> handle(Job job, QueueMessage message, Throwable failure, long started) {
    String queue = job.queue();
    boolean handlerMissing = failure instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
    boolean rejected = failure instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == JobHandler.REJECTED;
    String error = rejected ? "rejected: " + failure.getMessage() : describe(failure);
    if (failure instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == JobHandler.HANDED_BACK) {
      // the handler's node is stopping: not the job's fault, so no backoff and no step towards the dead letters
      return client.setVisibleAfter(queue, message.msgId(), java.time.Duration.ZERO).map(found -> {
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
