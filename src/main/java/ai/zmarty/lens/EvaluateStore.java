package ai.zmarty.lens;

import ai.zmarty.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The evaluation worker's reads and writes in database B's {@code lens} schema. Each decision's bus
 * message goes into the event outbox in the transaction that stores the decision, identified by
 * its {@code decision_id} and held for {@link #PUBLISH_HOLD}: the worker publishes it itself right
 * after the commit and marks it; if the worker dies in between, a publisher sends it when the hold lapses.
 */
final class EvaluateStore {
  /** The bus messages' id field: the model_decisions row's id, the same in every repeat of the message. */
  static final String DECISION_ID = "decision_id";
  /** How long the outbox leaves a just-committed decision to the worker that wrote it. */
  static final Duration PUBLISH_HOLD = Duration.ofSeconds(10);

  /** An event as the evaluation needs it: the signal the models see, its status, its payload (null when not enriched). */
  record EventRow(UUID eventId, String status, JsonObject signal, JsonObject payload, Set<String> decided) {}

  private final Pool pool;
  private final String node;
  private final Duration hold;

  EvaluateStore(Pool pool, String node) {
    this(pool, node, PUBLISH_HOLD);
  }

  /** @param hold how long the outbox leaves a committed decision to this worker before a publisher may send it */
  EvaluateStore(Pool pool, String node, Duration hold) {
    this.pool = pool;
    this.node = node;
    this.hold = hold;
  }

  Future<Optional<EventRow>> load(UUID eventId) {
    return pool.preparedQuery(EvaluateSql.LOAD).execute(Tuple.of(eventId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      JsonObject signal = signal(r);
      return Optional.of(new EventRow(eventId, r.getString("status"), signal, r.getJsonObject("model_payload"), Set.of(r.getArrayOfStrings("decided"))));
    });
  }

  /** The signal as the models are given it (and as a replay gives it again), from a row with the event's columns. */
  static JsonObject signal(Row r) {
    return new JsonObject()
        .put("event_type", r.getString("event_type"))
        .put("symbol", r.getString("symbol"))
        .put("direction", r.getString("direction"))
        .put("entry_price", r.getDouble("entry_price"))
        .put("size", r.getDouble("size"))
        .put("liquidation_price", r.getDouble("liquidation_price"))
        .put("ts_utc", r.getOffsetDateTime("ts_utc").withOffsetSameInstant(ZoneOffset.UTC).toString())
        .put("source", r.getString("source"))
        .put("feature_profile", r.getString("feature_profile"));
  }

  private Future<Void> timeline(SqlClient client, UUID eventId, String stage, String status, JsonObject detail) {
    return client.preparedQuery(EvaluateSql.TIMELINE).execute(Tuple.of(eventId, stage, status, node, detail)).mapEmpty();
  }

  /**
   * In one statement: the event becomes evaluated, each outcome its row, the timeline rows ({@code
   * evaluate_started} at {@code started}, {@code model_answered} per model, {@code evaluated}), the
   * event's open evaluate dead letters resolved, and the bus message of every decision of the event
   * into the outbox (one round trip where a transaction of two statements took four). Answers those messages; empty, with nothing
   * written, when another delivery evaluated it first.
   */
  Future<List<JsonObject>> commit(UUID eventId, Instant started, List<EvaluationOutcome> outcomes) {
    JsonArray rows = new JsonArray();
    JsonArray timeline = new JsonArray().add(step(0, "evaluate_started", "ok", new JsonObject().put("models", new JsonArray(outcomes.stream().map(EvaluationOutcome::model).toList())), started));
    for (EvaluationOutcome o : outcomes) {
      rows.add(row(o));
      timeline.add(step(timeline.size(), "model_answered", o.status(), o.summary(), o.answeredAt()));
    }
    timeline.add(step(timeline.size(), "evaluated", "ok", new JsonObject().put("statuses", new JsonArray(outcomes.stream().map(EvaluationOutcome::status).toList())), null));
    return pool.preparedQuery(EvaluateSql.COMMIT).execute(Tuple.of(eventId, rows, node, timeline, Addresses.EVENTS_LENS_DECISION, hold.toMillis() / 1000.0))
        .map(EvaluateStore::messages);
  }

  private static JsonObject step(int n, String stage, String status, JsonObject detail, Instant at) {
    return new JsonObject().put("n", n).put("stage", stage).put("status", status).put("detail", detail).put("at", at == null ? null : at.toString());
  }

  private static JsonObject row(EvaluationOutcome o) {
    ModelDecision d = o.decision();
    return new JsonObject().put("model", o.model()).put("status", o.status()).put("decision", d.decision()).put("confidence", d.confidence())
        .put("entry_plan", d.entryPlan()).put("risk_plan", d.riskPlan()).put("size_pct", d.sizePct()).put("reasons", new JsonArray(d.reasons()))
        .put("raw_answer", o.rawAnswer()).put("error_code", o.errorCode()).put("error_message", o.errorMessage())
        .put("prompt_version", o.promptVersion()).put("prompt_hash", o.promptHash())
        .put("latency_ms", (int) Math.min(Integer.MAX_VALUE, o.latencyMs())).put("tokens_in", (int) Math.min(Integer.MAX_VALUE, o.tokensIn()))
        .put("tokens_out", (int) Math.min(Integer.MAX_VALUE, o.tokensOut())).put("cost", o.cost());
  }

  /** The bus messages of the event's decisions ({@code events.lens.decision} bodies), by model. */
  Future<List<JsonObject>> decisions(UUID eventId) {
    return pool.preparedQuery(EvaluateSql.DECISIONS).execute(Tuple.of(eventId)).map(EvaluateStore::messages);
  }

  private static List<JsonObject> messages(RowSet<Row> rows) {
    List<JsonObject> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(r.getJsonObject("body"));
    }
    return out;
  }

  /**
   * After the worker published {@code messages} itself: their outbox rows are marked published (no
   * publisher sends them again) and the event published with its timeline row, in one statement.
   * Answers the event's seconds from received to published; empty when it was not in status evaluated.
   */
  Future<Optional<Double>> markPublished(UUID eventId, List<JsonObject> messages) {
    List<UUID> ids = messages.stream().map(m -> UUID.fromString(m.getString(DECISION_ID))).toList();
    return pool.preparedQuery(EvaluateSql.MARK_PUBLISHED).execute(Tuple.of(eventId, node, new JsonObject().put("decisions", messages.size()), ids.toArray(UUID[]::new)))
        .map(rows -> rows.size() == 0 ? Optional.<Double>empty() : Optional.ofNullable(rows.iterator().next().getDouble("end_to_end_s")));
  }

  /** The evaluation failed for good: a dead letter of stage evaluate, the event failed, a {@code dead_lettered} row; all or nothing. */
  Future<Void> deadLetter(SqlClient conn, UUID eventId, String error, JsonObject payload) {
    return conn.preparedQuery(EvaluateSql.INSERT_DEAD_LETTER).execute(Tuple.of(eventId, error, payload))
        .compose(v -> conn.preparedQuery(EvaluateSql.MARK_FAILED).execute(Tuple.of(eventId)))
        .compose(v -> timeline(conn, eventId, "dead_lettered", "failed", new JsonObject().put("stage", "evaluate").put("error", error)));
  }

  Future<Void> deadLetter(UUID eventId, String error, JsonObject payload) {
    return pool.withTransaction(conn -> deadLetter(conn, eventId, error, payload));
  }
}
