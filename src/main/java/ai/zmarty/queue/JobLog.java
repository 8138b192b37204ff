package ai.zmarty.queue;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.vertx.core.json.JsonObject;
import net.logstash.logback.argument.StructuredArgument;

/**
 * The fields every worker job line carries, as JSON fields of their own (and {@code key=value} in
 * the text format): service ({@code worker}), queue, msg_id, read_ct, symbol, timeframe (null when
 * the payload names none), job_ms and queue_depth (the queue's depth when the job was read; -1 when
 * it did not come through the poller), event_id (a lens job's event; null otherwise). Put {@link
 * #PATTERN} in the message, then extras.
 */
public final class JobLog {
  public static final String PATTERN = "{} {} {} {} {} {} {} {} {}";

  private JobLog() {}

  public static StructuredArgument[] fields(Job job, long jobMs) {
    JsonObject p = job.payload();
    return new StructuredArgument[] {
      kv("service", "worker"), kv("queue", job.queue()), kv("msg_id", job.msgId()), kv("read_ct", job.readCount()),
      kv("symbol", p.getValue("symbol") instanceof String s ? s : null), kv("timeframe", p.getValue("timeframe") instanceof String t ? t : null),
      kv("job_ms", jobMs), kv("queue_depth", job.queueDepth()), kv("event_id", p.getValue("event_id") instanceof String e ? e : null)
    };
  }

  /** {@code fields} followed by {@code extra}. */
  public static Object[] with(StructuredArgument[] fields, Object... extra) {
    Object[] all = new Object[fields.length + extra.length];
    System.arraycopy(fields, 0, all, 0, fields.length);
    System.arraycopy(extra, 0, all, fields.length, extra.length);
    return all;
  }

  /** A handler's failure in words, for the log and the dead letter's {@code error}. */
  static String describe(Throwable failure) {
    if (failure instanceof io.vertx.core.eventbus.ReplyException re) {
      return switch (re.failureType()) {
        case TIMEOUT -> "handler timed out: " + re.getMessage();
        case NO_HANDLERS -> "no handler registered: " + re.getMessage();
        default -> "handler failed (" + re.failureCode() + "): " + re.getMessage();
      };
    }
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }
}
