package ai.zmarty.sync;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.config.ZmartyConfig.SyncConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's housekeeping on ops nodes: deletes delivered rows older than {@code SYNC_RETENTION}
 * (at start, then every {@link #PURGE_EVERY}, in batches), and answers the operators' questions
 * about it over the bus: {@code ops.sync.list} (counts and the newest dead rows) and
 * {@code ops.sync.retry} (a dead row due again; 404 unknown, 409 not dead).
 */
public final class OutboxKeeperVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(OutboxKeeperVerticle.class);
  static final Duration PURGE_EVERY = Duration.ofMinutes(10);
  static final int PURGE_BATCH = 10_000;
  static final int LISTED = 100;

  private final Pool chat;
  private final SyncConfig config;
  private long timer = -1;

  public OutboxKeeperVerticle(Pool chat, SyncConfig config) {
    this.chat = chat;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>consumer(Addresses.OPS_SYNC_LIST, this::list);
    vertx.eventBus().<JsonObject>consumer(Addresses.OPS_SYNC_RETRY, this::retry);
    timer = vertx.setPeriodic(0, PURGE_EVERY.toMillis(), id -> purge(0));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** Deletes a batch, and the next while batches come back full. */
  private void purge(long sofar) {
    chat.preparedQuery(SyncSql.PURGE_DELIVERED)
        .execute(Tuple.of((double) config.retention().toSeconds(), PURGE_BATCH))
        .onSuccess(rows -> {
          long total = sofar + rows.rowCount();
          if (rows.rowCount() == PURGE_BATCH) {
            purge(total);
          } else if (total > 0) {
            log.info("sync outbox: {} delivered rows older than {} deleted", total, config.retention());
          }
        })
        .onFailure(err -> log.warn("sync outbox purge failed (tried again in {}): {}", PURGE_EVERY, err.toString()));
  }

  private void list(Message<JsonObject> msg) {
    chat.query(SyncSql.COUNT_STATES).execute()
        .compose(counts -> chat.preparedQuery(SyncSql.LIST_DEAD).execute(Tuple.of(LISTED)).map(dead -> {
          Row c = counts.iterator().next();
          JsonArray rows = new JsonArray();
          dead.forEach(r -> rows.add(new JsonObject().put("id", r.getLong("id")).put("event_id", r.getUUID("event_id").toString())
              .put("type", r.getString("type")).put("table", r.getString("table")).put("attempts", r.getInteger("attempts"))
              .put("last_error", r.getString("last_error")).put("created_at", r.getOffsetDateTime("created_at").toString())
              .put("dead_at", r.getOffsetDateTime("refused_at").toString())));
          return new JsonObject().put("pending", c.getLong("pending")).put("dead", c.getLong("dead")).put("delivered", c.getLong("delivered"))
              .put("max_attempts", config.maxAttempts()).put("retention", config.retention().toString()).put("dead_rows", rows);
        }))
        .onSuccess(msg::reply)
        .onFailure(err -> msg.fail(ErrorCode.UNAVAILABLE.failureCode(), "cannot read the sync outbox: " + err.getMessage()));
  }

  private void retry(Message<JsonObject> msg) {
    long id = msg.body().getLong("id", -1L);
    chat.preparedQuery(SyncSql.RETRY_DEAD).execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.size() == 1) {
            Row r = rows.iterator().next();
            log.info("sync outbox row {} (event_id={}) sent again by an operator", id, r.getUUID("event_id"));
            return Future.succeededFuture(new JsonObject().put("id", id).put("event_id", r.getUUID("event_id").toString()).put("status", "pending"));
          }
          return chat.preparedQuery(SyncSql.ROW_STATE).execute(Tuple.of(id)).compose(state -> Future.failedFuture(state.size() == 0
              ? new Refusal(ErrorCode.NOT_FOUND, "no sync outbox row " + id)
              : new Refusal(ErrorCode.CONFLICT, "sync outbox row " + id + " is not dead (" + (state.iterator().next().getBoolean("delivered") ? "delivered" : "pending") + ")")));
        })
        .onSuccess(msg::reply)
        .onFailure(err -> {
          if (err instanceof Refusal r) {
            msg.fail(r.code.failureCode(), r.getMessage());
          } else {
            msg.fail(ErrorCode.UNAVAILABLE.failureCode(), "cannot update the sync outbox: " + err.getMessage());
          }
        });
  }

  private static final class Refusal extends RuntimeException {
    final ErrorCode code;

    Refusal(ErrorCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
