package ai.zmarty.lens;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Judges stored signals again: each signal received in {@code [from, to)} that was enriched, with
 * its stored payload, asked of each model (those given, else those that judged it), beside the
 * decision stored for it (of {@code promptVersion} when given). One row per signal and model.
 */
public final class ReplayRun {
  /** Signals one replay looks at. */
  public static final int MAX_SIGNALS = 10_000;

  private final Pool trading;
  private final ReplayJudge judge;

  public ReplayRun(Pool trading, ReplayJudge judge) {
    this.trading = trading;
    this.judge = judge;
  }

  /** One compared pair: the stored decision (empty when that model had none) and the new one. */
  public record Compared(String eventId, String symbol, String direction, String model, Optional<JsonObject> old, JsonObject now) {
    public boolean changed() {
      return old.isEmpty() || !old.get().getString("decision").equals(now.getString("decision"));
    }
  }

  public Future<List<Compared>> run(Instant from, Instant to, List<String> models, Optional<String> promptVersion) {
    Tuple args = Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), models.isEmpty() ? null : models.toArray(String[]::new), promptVersion.orElse(null), MAX_SIGNALS);
    return trading.preparedQuery(PublishSql.REPLAY_INPUTS).execute(args).compose(rows -> {
      List<Future<Compared>> out = new ArrayList<>();
      for (Row r : rows) {
        JsonObject signal = new JsonObject()
            .put("symbol", r.getString("symbol"))
            .put("event_type", r.getString("event_type"))
            .put("direction", r.getString("direction"))
            .put("entry_price", r.getDouble("entry_price"));
        Object p = r.getValue("model_payload");
        JsonObject payload = p instanceof JsonObject o ? o : new JsonObject();
        JsonArray stored = r.getValue("decisions") instanceof JsonArray a ? a : new JsonArray();
        Set<String> asked = new LinkedHashSet<>(models);
        if (asked.isEmpty()) {
          stored.forEach(d -> asked.add(((JsonObject) d).getString("model")));
        }
        for (String model : asked) {
          Optional<JsonObject> old = stored.stream().map(d -> (JsonObject) d).filter(d -> model.equals(d.getString("model"))).findFirst();
          String id = r.getUUID("event_id").toString();
          out.add(judge.judge(model, signal, payload).map(now -> new Compared(id, signal.getString("symbol"), signal.getString("direction"), model, old, now)));
        }
      }
      return Future.all(out).map(all -> out.stream().map(Future::result).toList());
    });
  }
}
