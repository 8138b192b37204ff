package ai.zmarty.lens;

import static net.logstash.logback.argument.StructuredArguments.kv;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.contracts.FieldProblem;
import ai.zmarty.contracts.Schema;
import ai.zmarty.metrics.EvaluateMetrics;
import ai.zmarty.queue.DeadLetterHook;
import ai.zmarty.queue.Job;
import ai.zmarty.queue.JobHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code jobs.lens_evaluate} (payload {@code {event_id}}): asks every model of the {@link
 * EvaluationPanel} about the enriched event in parallel, stores one {@code model_decisions} row per
 * model and the status {@code evaluated} in one transaction, then publishes each decision on
 * {@code events.lens.decision} and marks the event {@code published}.
 *
 * <p>Model failures are outcomes (rows with status timeout, invalid_json, provider_error), never
 * a retry. An internal failure (the database) fails the job so the poller retries it; on its last
 * read ({@code QUEUE_MAX_READS}) the job writes a dead letter of stage evaluate, marks the event
 * failed and succeeds, so the message is archived. If even that cannot be written, the poller
 * dead-letters the message and {@link #deadLetterHook} writes the same rows in that transaction.
 *
 * <p>Redelivery: a published event is left alone; an evaluated one (its node died before
 * publishing) is published; models that already have a row are not asked again.
 */
public final class EvaluateVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(EvaluateVerticle.class);

  private final EvaluateStore store;
  private final EvaluationPanel panel;
  private final EvaluateMetrics metrics;
  private final int maxReads;
  /** The payload's contract, {@code docs/contracts/queue.lens_evaluate.json}. */
  private final Schema contract = JobHandler.contract("lens_evaluate");
  private final ai.zmarty.queue.JobDrain drain;
  private io.vertx.core.eventbus.MessageConsumer<Object> consumer;

  /** @param maxReads the poller's {@code QUEUE_MAX_READS}: the read that is a job's last attempt */
  public EvaluateVerticle(Pool pool, EvaluationPanel panel, EvaluateMetrics metrics, int maxReads, String node) {
    this.store = new EvaluateStore(pool, node);
    this.drain = new ai.zmarty.queue.JobDrain(Addresses.QUEUE_LENS_EVALUATE, new ai.zmarty.queue.PgmqClient(pool));
    this.panel = panel;
    this.metrics = metrics;
    this.maxReads = maxReads;
  }

  /** What the poller runs, in its dead-letter transaction, for a {@code lens_evaluate} message it gives up on. */
  public static DeadLetterHook deadLetterHook(Pool pool, String node) {
    EvaluateStore store = new EvaluateStore(pool, node);
    return (conn, payload, error) -> {
      UUID id = eventId(payload);
      return id == null ? Future.succeededFuture() : store.deadLetter(conn, id, error, payload);
    };
  }

  @Override
  public Future<?> start() {
    panel.models().forEach(metrics::register);
    consumer = vertx.eventBus().<Object>consumer(Addresses.JOB_LENS_EVALUATE, drain.tracking(this::handle));
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return drain.stop(vertx, consumer, ai.zmarty.queue.JobDrain.GRACE);
  }

  private void handle(Message<Object> msg) {
    long started = System.nanoTime();
    Job job;
    UUID id;
    try {
      JsonObject payload = Job.payloadOf(msg.body());
      List<FieldProblem> problems = contract.check(payload);
      if (!problems.isEmpty()) {
        JobHandler.reject(msg, "payload breaks its contract " + contract.name() + ": " + Schema.summary(problems));
        return;
      }
      job = Job.fromJson((JsonObject) msg.body());
      id = eventId(payload);
    } catch (RuntimeException e) {
      JobHandler.reject(msg, "lens_evaluate job: " + e.getMessage());
      return;
    }
    if (id == null) {
      JobHandler.reject(msg, "lens_evaluate payload must be {\"event_id\": \"<uuid>\"}, got " + job.payload().encode());
      return;
    }
    evaluate(id)
        .recover(err -> job.readCount() >= maxReads ? deadLetter(id, job, err) : Future.failedFuture(err))
        .onSuccess(reply -> {
          log.info("lens evaluate done {} {} {} {}", kv("event_id", id), kv("outcome", reply.getString("outcome")), kv("read_ct", job.readCount()), kv("job_ms", (System.nanoTime() - started) / 1_000_000));
          msg.reply(reply);
        })
        .onFailure(err -> {
          log.warn("lens evaluate failed {} {} {}: {}", kv("event_id", id), kv("read_ct", job.readCount()), kv("job_ms", (System.nanoTime() - started) / 1_000_000), err.toString());
          msg.fail(ErrorCode.INTERNAL.failureCode(), "lens_evaluate of " + id + " failed: " + err.getMessage());
        });
  }

  private Future<JsonObject> deadLetter(UUID id, Job job, Throwable err) {
    String error = "evaluation failed after " + job.readCount() + " attempts: " + err;
    return store.deadLetter(id, error, job.payload()).map(v -> {
      metrics.deadLettered();
      log.error("lens evaluate dead-lettered {} {}: {}", kv("event_id", id), kv("read_ct", job.readCount()), err.toString());
      return reply(id, "dead_lettered");
    });
  }

  /** Evaluates, or finishes what an earlier delivery left, and publishes. */
  Future<JsonObject> evaluate(UUID id) {
    return store.load(id).compose(found -> {
      if (found.isEmpty()) {
        log.warn("lens evaluate: no such event {}", kv("event_id", id));
        return Future.succeededFuture(reply(id, "missing"));
      }
      EvaluateStore.EventRow event = found.get();
      return switch (event.status()) {
        case "published" -> Future.succeededFuture(reply(id, "already_published"));
        case "evaluated" -> store.decisions(id).compose(messages -> publish(id, messages));
        case "enriched", "failed" -> event.payload() == null
            ? Future.failedFuture(new IllegalStateException("event " + id + " has no enrichment stored"))
            : judge(event);
        default -> Future.succeededFuture(reply(id, "skipped_" + event.status())); // queued or rejected: nothing to judge
      };
    });
  }

  private Future<JsonObject> judge(EvaluateStore.EventRow event) {
    UUID id = event.eventId();
    long started = System.nanoTime();
    Instant startedAt = Instant.now();
    Set<String> ask = new HashSet<>(panel.models());
    ask.removeAll(event.decided());
    return answers(id, event, ask).compose(outcomes -> store.commit(id, startedAt, outcomes).compose(messages -> {
      if (messages.isEmpty()) {
        return Future.succeededFuture(reply(id, "evaluated_elsewhere"));
      }
      metrics.evaluated();
      log.info("lens event evaluated {} {} {}", kv("event_id", id), kv("models", outcomes.size()), kv("evaluation_ms", (System.nanoTime() - started) / 1_000_000));
      return publish(id, messages);
    }));
  }

  /** Every model's outcome, each counted and logged as soon as it is in. */
  private Future<List<EvaluationOutcome>> answers(UUID id, EvaluateStore.EventRow event, Set<String> ask) {
    List<Future<EvaluationOutcome>> answers = panel.ask(id.toString(), event.signal(), event.payload(), ask);
    answers.forEach(f -> f.onSuccess(o -> {
      metrics.answered(o.model(), o.status(), o.latencyMs());
      log.info("lens model answered {} {} {} {} {}", kv("event_id", id), kv("model", o.model()), kv("status", o.status()), kv("decision", o.decision().decision()), kv("latency_ms", o.latencyMs()));
    }));
    return Future.all(answers).map(all -> answers.stream().map(Future::result).toList());
  }

  /**
   * Publishes every decision of the event on the bus (after their commit: their outbox rows are
   * held for this worker), then marks them and the event published. A worker that dies before the
   * mark leaves the rows to the outbox's publishers; sockets drop a repeat by {@code decision_id}.
   */
  private Future<JsonObject> publish(UUID id, List<JsonObject> messages) {
    messages.forEach(m -> vertx.eventBus().publish(Addresses.EVENTS_LENS_DECISION, m));
    return store.markPublished(id, messages).map(marked -> {
      marked.ifPresent(metrics::published);
      return reply(id, "published").put("decisions", messages.size());
    });
  }

  private static JsonObject reply(UUID id, String outcome) {
    return new JsonObject().put("event_id", id.toString()).put("outcome", outcome);
  }

  private static UUID eventId(JsonObject payload) {
    try {
      return payload.getValue("event_id") instanceof String s ? UUID.fromString(s) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
