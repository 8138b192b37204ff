package ai.zmarty.lens;

import ai.zmarty.lens.Leaderboard.Counts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The read side of scoring: {@code GET /api/v1/leaderboard}. */
public final class LeaderboardQueries {
  private final Pool trading;

  public LeaderboardQueries(Pool trading) {
    this.trading = trading;
  }

  /** The leaderboard of decisions made since {@code since} ({@code window} is echoed). */
  public Future<JsonObject> leaderboard(String window, Instant since) {
    Tuple args = Tuple.of(since.atOffset(ZoneOffset.UTC));
    Future<List<Row>> groups = trading.preparedQuery(PublishSql.LEADERBOARD_GROUPS).execute(args).map(rs -> {
      List<Row> list = new ArrayList<>();
      rs.forEach(list::add);
      return list;
    });
    Future<Counts> vote = trading.preparedQuery(PublishSql.LEADERBOARD_VOTE).execute(args).map(rs -> counts(Leaderboard.VOTE, rs.iterator().next()));
    return Future.all(groups, vote).map(v -> {
      List<Counts> models = new ArrayList<>();
      JsonArray sources = new JsonArray();
      for (Row r : groups.result()) {
        Counts c = counts(r.getString("name"), r);
        if (r.getString("kind").equals("model")) {
          models.add(c);
        } else {
          sources.add(Leaderboard.row("source", c));
        }
      }
      return new JsonObject()
          .put("window", window)
          .put("since", since.toString())
          .put("models", Leaderboard.models(models, vote.result()))
          .put("sources", sources);
    });
  }

  private static Counts counts(String name, Row r) {
    return new Counts(
        name,
        r.getLong("decisions"),
        r.getLong("fallbacks"),
        r.getLong("resolved"),
        r.getLong("correct"),
        r.getDouble("brier_sum"),
        r.getDouble("mean_return"),
        r.getDouble("cost"));
  }
}
