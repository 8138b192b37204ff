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
 * its stored payload and the signal as the models were given it, asked of each model (those given,
 * else those that judged it), beside the decision stored for it (of {@code promptVersion} when
 * given). One row per signal and model. {@value #CONCURRENT_SIGNALS} signals are judged at a time
 * (their models in parallel), so a long window does not flood the providers.
 */
public final class ReplayRun {
  /** Signals one replay looks at. */
  public static final int MAX_SIGNALS = 10_000;
  /** Signals judged at once. */
  static final int CONCURRENT_SIGNALS = 4;

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
      List<Row> signals = new ArrayList<>();
      rows.forEach(signals::add);
      List<Compared> out = new ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < signals.size(); i += CONCURRENT_SIGNALS) {
        List<Row> batch = signals.subList(i, Math.min(signals.size(), i + CONCURRENT_SIGNALS));
        chain = chain.compose(v -> {
          List<Future<Compared>> judged = new ArrayList<>();
          batch.forEach(r -> judged.addAll(judge(r, models)));
          return Future.all(judged).map(all -> {
            judged.forEach(f -> out.add(f.result()));
            return null;
          });
        });
      }
      return chain.map(v -> out);
    });
  }

  /** Each model's new answer on one stored signal beside its stored one. */
  private List<Future<Compared>> judge(Row r, List<String> models) {
    JsonObject signal = EvaluateStore.signal(r);
    Object p = r.getValue("model_payload");
    JsonObject payload = p instanceof JsonObject o ? o : new JsonObject();
    JsonArray stored = r.getValue("decisions") instanceof JsonArray a ? a : new JsonArray();
    Set<String> asked = new LinkedHashSet<>(models);
    if (asked.isEmpty()) {
      stored.forEach(d -> asked.add(((JsonObject) d).getString("model")));
    }
    String id = r.getUUID("event_id").toString();
    List<Future<Compared>> out = new ArrayList<>();
    for (String model : asked) {
      Optional<JsonObject> old = stored.stream().map(d -> (JsonObject) d).filter(d -> model.equals(d.getString("model"))).findFirst();
      out.add(judge.judge(model, signal, payload).map(now -> new Compared(id, signal.getString("symbol"), signal.getString("direction"), model, old, now)));
    }
    return out;
  }
}
