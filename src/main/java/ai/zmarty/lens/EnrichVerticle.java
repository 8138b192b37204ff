package ai.zmarty.lens;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.queue.Job;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * The {@code jobs.lens_enrich} consumer (worker role): reads the job's {@code {event_id}} and the
 * delivery's read count, and hands them to the {@link Enricher}; its outcome is the reply (the
 * poller archives the message), a failure fails the job (the poller retries it with backoff). A
 * payload without a readable {@code event_id} is a bad request.
 */
public final class EnrichVerticle extends VerticleBase {
  private final Enricher enricher;
  private MessageConsumer<Object> consumer;
  private final ai.zmarty.queue.JobDrain drain;

  /** @param queues database B's queues, where a job handed back at a stop is made visible again */
  public EnrichVerticle(Enricher enricher, ai.zmarty.queue.PgmqClient queues) {
    this.enricher = enricher;
    this.drain = new ai.zmarty.queue.JobDrain(Addresses.QUEUE_LENS_ENRICH, queues);
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.JOB_LENS_ENRICH, drain.tracking(this::handle));
    return consumer.completion();
  }

  private void handle(Message<Object> msg) {
    UUID id;
    int attempt;
    try {
      id = eventId(Job.payloadOf(msg.body()));
      attempt = Job.fromJson((JsonObject) msg.body()).readCount();
    } catch (IllegalArgumentException | NullPointerException e) {
      msg.fail(ErrorCode.BAD_REQUEST.failureCode(), e.getMessage());
      return;
    }
    enricher.enrich(id, attempt).onSuccess(msg::reply).onFailure(err -> msg.fail(ErrorCode.INTERNAL.failureCode(), "lens enrich of " + id + " failed: " + err.getMessage()));
  }

  /** The payload's {@code event_id} as a UUID. */
  static UUID eventId(JsonObject payload) {
    if (!(payload.getValue("event_id") instanceof String s)) {
      throw new IllegalArgumentException("payload must be {\"event_id\": \"<uuid>\"}, got " + payload.encode());
    }
    return UUID.fromString(s);
  }

  @Override
  public Future<?> stop() {
    return drain.stop(vertx, consumer, ai.zmarty.queue.JobDrain.GRACE);
  }
}
