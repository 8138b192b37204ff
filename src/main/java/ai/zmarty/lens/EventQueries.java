package ai.zmarty.lens;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/**
 * The lens audit reads: events, one event with everything recorded about it, decisions and dead
 * letters, newest first in keyset pages. {@code onlySource}, when set, limits every read to that
 * source's own events.
 */
public final class EventQueries {
  private final Pool pool;

  public EventQueries(Pool pool) {
    this.pool = pool;
  }

  /** One page: its items and the cursor of the next page (absent on the last). */
  public record Page(JsonArray items, Optional<String> next) {
    public JsonObject toJson() {
      return new JsonObject().put("items", items).put("next_cursor", next.orElse(null));
    }
  }

  public Future<Page> events(EventQueryFilters.Events f, Optional<String> onlySource) {
    String source = onlySource.orElse(f.source());
    return page(IntakeSql.EVENTS_PAGE, Tuple.from(new Object[] {
        f.status(), f.symbol(), source, f.since(), f.until(), f.cursor() == null ? null : f.cursor().at(), f.cursor() == null ? null : f.cursor().id(), f.limit() + 1}), f.limit());
  }

  public Future<Page> decisions(EventQueryFilters.Decisions f, Optional<String> onlySource) {
    return page(IntakeSql.DECISIONS_PAGE, Tuple.from(new Object[] {
        f.model(), f.symbol(), f.decision(), f.since(), onlySource.orElse(null), f.cursor() == null ? null : f.cursor().at(), f.cursor() == null ? null : f.cursor().id(), f.limit() + 1}), f.limit());
  }

  public Future<Page> deadLetters(EventQueryFilters.DeadLetters f, Optional<String> onlySource) {
    return page(IntakeSql.DLQ_PAGE, Tuple.from(new Object[] {
        f.stage(), f.resolved(), onlySource.orElse(null), f.cursor() == null ? null : Long.parseLong(f.cursor().id()), f.limit() + 1}), f.limit());
  }

  /** The event, its enrichment, decisions and timeline; empty when unknown (or another source's). */
  public Future<Optional<JsonObject>> event(UUID id, Optional<String> onlySource) {
    return one(IntakeSql.EVENT_DETAIL, id, onlySource);
  }

  public Future<Optional<JsonObject>> status(UUID id, Optional<String> onlySource) {
    return one(IntakeSql.EVENT_STATUS, id, onlySource);
  }

  private Future<Optional<JsonObject>> one(String sql, UUID id, Optional<String> onlySource) {
    return pool.preparedQuery(sql).execute(Tuple.of(id, onlySource.orElse(null)))
        .map(rows -> rows.size() == 0 ? Optional.<JsonObject>empty() : Optional.of((JsonObject) rows.iterator().next().getValue("item")));
  }

  /** Runs a page query asked for {@code limit + 1} rows: the extra row only says another page exists. */
  private Future<Page> page(String sql, Tuple args, int limit) {
    return pool.preparedQuery(sql).execute(args).map((RowSet<Row> rows) -> {
      JsonArray items = new JsonArray();
      EventQueryCursor last = null;
      for (Row r : rows) {
        if (items.size() == limit) {
          return new Page(items, Optional.of(last.encode()));
        }
        items.add(r.getValue("item"));
        last = new EventQueryCursor(r.getOffsetDateTime("cursor_at"), r.getString("cursor_id"));
      }
      return new Page(items, Optional.empty());
    });
  }
}
