package ai.zmarty.limit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat limits counted in database A for the whole cluster ({@code CHAT_LIMITS_SCOPE=cluster}):
 * each check is one call of {@code chat_admit} (migration 20260109040000_chat_limits), which
 * counts the request in the user's sliding window and, for a streaming answer, takes a leased slot.
 * This node renews the leases of the slots it holds every third of {@code lease}, in one statement
 * for all of them, and deletes a slot when its answer ends; a slot of a node that died stops
 * counting when its lease lapses.
 */
final class SharedChatLimiter implements ChatLimiter {
  private static final Logger log = LoggerFactory.getLogger(SharedChatLimiter.class);

  private final Pool pool;
  private final int ratePerMinute;
  private final int maxStreams;
  private final Duration lease;
  private final String node;
  /** Slot → user: the slots this node holds now. */
  private final Map<UUID, UUID> held = new ConcurrentHashMap<>();
  private final Set<Future<?>> releasing = ConcurrentHashMap.newKeySet();
  /** Released slots waiting for the delete in flight to finish, then deleted together. */
  private final List<Queued> queued = new ArrayList<>();
  /** A delete of released slots is running; guarded by {@link #queued}. */
  private boolean deleting;
  private final AtomicLong releaseStatements = new AtomicLong();
  private Vertx vertx;
  private long renewTimer = -1;

  SharedChatLimiter(Pool pool, int ratePerMinute, int maxStreams, Duration lease, String node) {
    this.pool = pool;
    this.ratePerMinute = ratePerMinute;
    this.maxStreams = maxStreams;
    this.lease = lease;
    this.node = node;
  }

  @Override
  public Future<Admission> admit(UUID user, boolean stream) {
    UUID slot = stream ? UUID.randomUUID() : null;
    Tuple args = Tuple.of(user, ratePerMinute, WINDOW.toMillis(), slot, node, maxStreams, lease.toMillis());
    return pool.preparedQuery(LimitSql.CHAT_ADMIT).execute(args).map(rows -> {
      Row r = rows.iterator().next();
      Admission.Outcome outcome = Admission.Outcome.valueOf(r.getString("outcome").toUpperCase(Locale.ROOT));
      boolean holds = outcome == Admission.Outcome.ADMITTED && slot != null;
      if (holds) {
        held.put(slot, user);
      }
      return new Admission(outcome, user.toString(), holds ? slot : null, ratePerMinute, WINDOW.toSeconds(), r.getInteger("remaining"), r.getLong("retry_after_ms"), r.getLong("reset_ms"));
    });
  }

  /**
   * The slot is held (so renewed) before database A has it: a renewal may write its row first,
   * which {@code chat_admit} then takes as the request's own (migration 20260111000100_chat_begin).
   */
  @Override
  public Optional<Deferred> defer(UUID user) {
    UUID slot = UUID.randomUUID();
    held.put(slot, user);
    JsonObject admit = new JsonObject().put("rate_limit", ratePerMinute).put("window_ms", WINDOW.toMillis()).put("slot", slot.toString())
        .put("node", node).put("stream_limit", maxStreams).put("lease_ms", lease.toMillis());
    return Optional.of(new Deferred(user.toString(), slot, ratePerMinute, WINDOW, admit));
  }

  @Override
  public void endedWithSettlement(Admission admission) {
    if (admission.slot() != null) {
      held.remove(admission.slot()); // a renewal does not revive an ended row (chat_renew)
    }
  }

  /**
   * Slots whose answers ended are deleted in groups: while one delete runs, the slots released
   * meanwhile wait and go together in the next (one statement for all of them), so a lone release
   * waits for nothing and many at once share one round trip.
   */
  @Override
  public Future<Void> release(Admission admission) {
    if (admission.slot() == null || held.remove(admission.slot()) == null) {
      return Future.succeededFuture();
    }
    Promise<Void> released = Promise.promise();
    Context caller = Vertx.currentContext();
    boolean send;
    synchronized (queued) {
      queued.add(new Queued(admission.slot(), released, caller));
      send = !deleting;
      deleting = true;
    }
    if (send) {
      deleteQueued();
    }
    return released.future();
  }

  private record Queued(UUID slot, Promise<Void> released, Context caller) {}

  /** How many deletes the releases took so far (fewer than the releases when they overlapped). */
  long releaseStatements() {
    return releaseStatements.get();
  }

  private void deleteQueued() {
    List<Queued> group;
    synchronized (queued) {
      if (queued.isEmpty()) {
        deleting = false;
        return;
      }
      group = List.copyOf(queued);
      queued.clear();
    }
    UUID[] slots = group.stream().map(Queued::slot).toArray(UUID[]::new);
    releaseStatements.incrementAndGet();
    Future<Void> delete = pool.preparedQuery(LimitSql.CHAT_RELEASE).execute(Tuple.of((Object) slots)).<Void>mapEmpty().recover(e -> {
      log.warn("releasing {} stream slots failed (they lapse within {}): {}", slots.length, lease, e.toString());
      return Future.succeededFuture();
    });
    releasing.add(delete);
    delete.onComplete(ar -> {
      releasing.remove(delete);
      for (Queued q : group) {
        if (q.caller() == null) {
          q.released().complete();
        } else {
          q.caller().runOnContext(v -> q.released().complete());
        }
      }
      deleteQueued();
    });
  }

  @Override
  public void start(Vertx vertx) {
    this.vertx = vertx;
    renewTimer = vertx.setPeriodic(Math.max(100, lease.toMillis() / 3), id -> renew());
  }

  /** Renews every slot held here; re-inserts one an outage let lapse, since its answer still runs. */
  private Future<?> renew() {
    if (held.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Map.Entry<UUID, UUID>> slots = List.copyOf(held.entrySet());
    UUID[] ids = slots.stream().map(Map.Entry::getKey).toArray(UUID[]::new);
    UUID[] users = slots.stream().map(Map.Entry::getValue).toArray(UUID[]::new);
    return pool.preparedQuery(LimitSql.CHAT_RENEW).execute(Tuple.of(ids, users, node, lease.toMillis()))
        // a slot released while the renewal ran was re-inserted by it: delete it again
        .compose(r -> deleteReleased(ids))
        .onFailure(e -> log.warn("renewing {} stream slots failed (they lapse within {}): {}", ids.length, lease, e.toString()));
  }

  private Future<?> deleteReleased(UUID[] renewed) {
    UUID[] gone = java.util.Arrays.stream(renewed).filter(id -> !held.containsKey(id)).toArray(UUID[]::new);
    return gone.length == 0 ? Future.succeededFuture() : pool.preparedQuery(LimitSql.CHAT_RELEASE).execute(Tuple.of((Object) gone));
  }

  @Override
  public Future<Void> close() {
    if (vertx != null && renewTimer >= 0) {
      vertx.cancelTimer(renewTimer);
    }
    List<Queued> waiting;
    synchronized (queued) {
      waiting = List.copyOf(queued); // released, not yet sent: they go with the rest
      queued.clear();
    }
    List<UUID> slots = new java.util.ArrayList<>(held.keySet());
    waiting.forEach(q -> slots.add(q.slot()));
    UUID[] still = slots.toArray(UUID[]::new);
    held.clear();
    Future<?> rest = still.length == 0 ? Future.succeededFuture() : pool.preparedQuery(LimitSql.CHAT_RELEASE).execute(Tuple.of((Object) still));
    rest.onComplete(ar -> waiting.forEach(q -> q.released().tryComplete()));
    List<Future<?>> pending = new java.util.ArrayList<>(releasing);
    pending.add(rest);
    return Future.join(pending).<Void>mapEmpty().recover(e -> {
      log.warn("giving back stream slots on stop failed (they lapse within {}): {}", lease, e.toString());
      return Future.succeededFuture();
    });
  }
}
