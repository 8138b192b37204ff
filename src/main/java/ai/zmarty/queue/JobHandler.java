package ai.zmarty.queue;

import ai.zmarty.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The shell every {@code jobs.<queue>} consumer shares: read the job's payload, run the work, log
 * the outcome with {@code job_ms}, and reply — or fail with {@code BAD_REQUEST} for a payload it
 * cannot read (the poller will dead-letter it after its reads) and {@code INTERNAL} otherwise.
 */
public final class JobHandler {
  private JobHandler() {}

  /**
   * @param parse reads the payload; an {@link IllegalArgumentException} means a bad request
   * @param summary the figures of a reply worth a log line, e.g. {@code created=3}
   */
  public static <P> Handler<Message<Object>> of(String queue, Logger log, Function<JsonObject, P> parse, Function<P, Future<JsonObject>> work, Function<JsonObject, String> summary) {
    return msg -> {
      long started = System.nanoTime();
      P payload;
      Job job;
      try {
        payload = parse.apply(Job.payloadOf(msg.body()));
        job = Job.fromJson((JsonObject) msg.body());
      } catch (IllegalArgumentException e) {
        msg.fail(ErrorCode.BAD_REQUEST.failureCode(), e.getMessage());
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
