package ai.zmarty.lens;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The evaluation worker's reads and writes in database B's {@code lens} schema. */
final class EvaluateStore {
  /** An event as the evaluation needs it: the signal the models see, its status, its payload (null when not enriched). */
  record EventRow(UUID eventId, String status, JsonObject signal, JsonObject payload, Set<String> decided) {}

  private final Pool pool;
  private final String node;

  EvaluateStore(Pool pool, String node) {
    this.pool = pool;
    this.node = node;
  }

  Future<Optional<EventRow>> load(UUID eventId) {
    return pool.preparedQuery(EvaluateSql.LOAD).execute(Tuple.of(eventId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      JsonObject signal = new JsonObject()
          .put("event_type", r.getString("event_type"))
          .put("symbol", r.getString("symbol"))
          .put("direction", r.getString("direction"))
          .put("entry_price", r.getDouble("entry_price"))
          .put("size", r.getDouble("size"))
          .put("liquidation_price", r.getDouble("liquidation_price"))
          .put("ts_utc", r.getOffsetDateTime("ts_utc").withOffsetSameInstant(ZoneOffset.UTC).toString())
          .put("source", r.getString("source"))
          .put("feature_profile", r.getString("feature_profile"));
      return Optional.of(new EventRow(eventId, r.getString("status"), signal, r.getJsonObject("model_payload"), Set.of(r.getArrayOfStrings("decided"))));
    });
  }

  Future<Void> timeline(UUID eventId, String stage, String status, JsonObject detail) {
    return timeline(pool, eventId, stage, status, detail);
  }

  private Future<Void> timeline(SqlClient client, UUID eventId, String stage, String status, JsonObject detail) {
    return client.preparedQuery(EvaluateSql.TIMELINE).execute(Tuple.of(eventId, stage, status, node, detail)).mapEmpty();
  }

  /**
   * In one transaction: the event becomes evaluated, each outcome its row (and a {@code
   * model_answered} timeline row), then an {@code evaluated} row, and the event's open evaluate
   * dead letters are resolved. False, with nothing written, when another delivery evaluated it first.
   */
  Future<Boolean> commit(UUID eventId, List<EvaluationOutcome> outcomes) {
    return pool.withTransaction(conn -> conn.preparedQuery(EvaluateSql.CLAIM_EVALUATED).execute(Tuple.of(eventId)).compose(claimed -> {
      if (claimed.size() == 0) {
        return Future.succeededFuture(false);
      }
      List<Tuple> rows = outcomes.stream().map(o -> row(eventId, o)).toList();
      List<Tuple> answered = outcomes.stream().map(o -> Tuple.of(eventId, "model_answered", o.status(), node, o.summary())).toList();
      Future<?> inserted = rows.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(EvaluateSql.INSERT_DECISION).executeBatch(rows)
          .compose(v -> conn.preparedQuery(EvaluateSql.TIMELINE).executeBatch(answered));
      JsonObject detail = new JsonObject().put("models", new JsonArray(outcomes.stream().map(EvaluationOutcome::model).toList()))
          .put("statuses", new JsonArray(outcomes.stream().map(EvaluationOutcome::status).toList()));
      return inserted.compose(v -> timeline(conn, eventId, "evaluated", "ok", detail))
          .compose(v -> conn.preparedQuery(EvaluateSql.RESOLVE_DEAD_LETTERS).execute(Tuple.of(eventId)))
          .map(true);
    }));
  }

  private static Tuple row(UUID eventId, EvaluationOutcome o) {
    ModelDecision d = o.decision();
    return Tuple.from(Arrays.asList(
        eventId, o.model(), o.status(), d.decision(), d.confidence(), d.entryPlan(), d.riskPlan(), d.sizePct(), new JsonArray(d.reasons()),
        o.rawAnswer(), o.errorCode(), o.errorMessage(), o.promptVersion(), o.promptHash(), (int) Math.min(Integer.MAX_VALUE, o.latencyMs()),
        (int) Math.min(Integer.MAX_VALUE, o.tokensIn()), (int) Math.min(Integer.MAX_VALUE, o.tokensOut()), o.cost()));
  }

  /** The bus messages of the event's decisions ({@code events.lens.decision} bodies), by model. */
  Future<List<JsonObject>> decisions(UUID eventId) {
    return pool.preparedQuery(EvaluateSql.DECISIONS).execute(Tuple.of(eventId)).map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new JsonObject()
            .put("event_id", r.getUUID("event_id").toString())
            .put("source", r.getString("source"))
            .put("symbol", r.getString("symbol"))
            .put("event_type", r.getString("event_type"))
            .put("direction", r.getString("direction"))
            .put("model", r.getString("model"))
            .put("status", r.getString("status"))
            .put("decision", r.getString("decision"))
            .put("confidence", r.getDouble("confidence"))
            .put("entry_plan", r.getJsonObject("entry_plan"))
            .put("risk_plan", r.getJsonObject("risk_plan"))
            .put("size_pct", r.getDouble("size_pct"))
            .put("reasons", r.getJsonArray("reasons"))
            .put("prompt_version", r.getString("prompt_version"))
            .put("decided_at", r.getOffsetDateTime("created_at").withOffsetSameInstant(ZoneOffset.UTC).toString()));
      }
      return out;
    });
  }

  /** Marks the event published (and its timeline row); false when it was not in status evaluated. */
  Future<Boolean> markPublished(UUID eventId, int decisions) {
    return pool.withTransaction(conn -> conn.preparedQuery(EvaluateSql.MARK_PUBLISHED).execute(Tuple.of(eventId)).compose(marked -> marked.size() == 0
        ? Future.succeededFuture(false)
        : timeline(conn, eventId, "published", "ok", new JsonObject().put("decisions", decisions)).map(true)));
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
