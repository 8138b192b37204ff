package ai.zmarty.lens;

import ai.zmarty.lens.JudgeRule.Pending;
import ai.zmarty.lens.JudgeRule.Scored;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What scoring the judges reads from and writes to database B ({@link PublishSql}). */
final class JudgeStore {
  private final Pool pool;

  JudgeStore(Pool pool) {
    this.pool = pool;
  }

  /** Up to {@code max} unresolved decisions made at or before {@code decidedBy}, oldest first. */
  Future<List<Pending>> due(Instant decidedBy, int max) {
    return pool.preparedQuery(PublishSql.DUE_DECISIONS).execute(Tuple.of(decidedBy.atOffset(ZoneOffset.UTC), max)).map(rows -> {
      List<Pending> out = new ArrayList<>();
      for (Row r : rows) {
        Object plan = r.getValue("risk_plan");
        out.add(new Pending(
            r.getUUID("decision_id").toString(),
            r.getString("symbol"),
            r.getString("event_type"),
            r.getString("direction"),
            r.getDouble("entry_price"),
            plan instanceof JsonObject o ? o : null,
            r.getOffsetDateTime("created_at").toInstant()));
      }
      return out;
    });
  }

  /** Writes the outcomes in one statement; returns how many rows this call resolved. */
  Future<Integer> resolve(List<Scored> scored) {
    if (scored.isEmpty()) {
      return Future.succeededFuture(0);
    }
    UUID[] ids = new UUID[scored.size()];
    String[] outcomes = new String[scored.size()];
    Double[] returns = new Double[scored.size()];
    for (int i = 0; i < scored.size(); i++) {
      ids[i] = UUID.fromString(scored.get(i).decisionId());
      outcomes[i] = scored.get(i).outcome();
      returns[i] = scored.get(i).tradeReturn();
    }
    return pool.preparedQuery(PublishSql.RESOLVE).execute(Tuple.of(ids, outcomes, returns)).map(rows -> rows.rowCount());
  }
}
