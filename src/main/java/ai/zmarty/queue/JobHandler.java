package ai.zmarty.queue;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.contracts.Contracts;
import ai.zmarty.contracts.FieldProblem;
import ai.zmarty.contracts.Schema;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The shell every {@code jobs.<queue>} consumer shares: check the job's payload against its contract
 * ({@code docs/contracts/queue.<queue>.json}), read it, run the work, log the outcome with
 * {@code job_ms}, and reply — or {@link #reject} a payload that breaks its contract or cannot be
 * read (the poller dead-letters it at once: it would fail the same way on every read) and fail with
 * {@code INTERNAL} when the work fails (retried with backoff).
 */
public final class JobHandler {
  /**
   * The failure code of a permanent refusal: the payload itself is wrong. The poller dead-letters
   * such a message at its first read, with the reason.
   */
  public static final int REJECTED = ErrorCode.BAD_REQUEST.failureCode();
  /**
   * The failure code of a job its consumer's node is stopping before it finished ({@link JobDrain}):
   * the poller makes the message visible again at once and never dead-letters it for this.
   */
  public static final int HANDED_BACK = ErrorCode.UNAVAILABLE.failureCode();

  private JobHandler() {}

  /** Refuses a job for good: its payload is wrong (the reason names each bad field), so no retry can help. */
  public static void reject(Message<?> msg, String reason) {
    msg.fail(REJECTED, reason);
  }

  /** The contract of a queue's payloads; a queue without one stops its consumer from starting. */
  public static Schema contract(String queue) {
    return Contracts.bundled().schema("queue." + queue);
  }

  /**
   * @param parse reads the payload; an {@link IllegalArgumentException} means a bad request
   * @param summary the figures of a reply worth a log line, e.g. {@code created=3}
   */
  public static <P> Handler<Message<Object>> of(String queue, Logger log, Function<JsonObject, P> parse, Function<P, Future<JsonObject>> work, Function<JsonObject, String> summary) {
    return of(queue, contract(queue), log, parse, work, summary);
  }

  /** The same with the payloads' contract given (a queue that shares another's payload shape). */
  public static <P> Handler<Message<Object>> of(String queue, Schema contract, Logger log, Function<JsonObject, P> parse, Function<P, Future<JsonObject>> work, Function<JsonObject, String> summary) {
    return msg -> {
      long started = System.nanoTime();
      P payload;
      Job job;
      try {
        JsonObject raw = Job.payloadOf(msg.body());
        List<FieldProblem> problems = contract.check(raw);
        if (!problems.isEmpty()) {
          reject(msg, "payload breaks its contract " + contract.name() + ": " + Schema.summary(problems));
          return;
        }
        payload = parse.apply(raw);
        job = Job.fromJson((JsonObject) msg.body());
      } catch (IllegalArgumentException e) {
        reject(msg, e.getMessage());
        return;
      }
      work.apply(payload)
          .onSuccess(reply -> {
            log.info("job done " + JobLog.PATTERN + " {}", JobLog.with(JobLog.fields(job, (System.nanoTime() - started) / 1_000_000), summary.apply(reply)));
            msg.reply(reply);
          })
          .onFailure(err -> {
            log.warn("job failed " + JobLog.PATTERN + ": {}", JobLog.with(JobLog.fields(job, (System.nanoTime() - started) / 1_000_000), err.toString()));
            msg.fail(ErrorCode.INTERNAL.failureCode(), queue + " job for " + payload + " failed: " + err.getMessage());
          });
    };
  }
}
