package ai.zmarty.ops;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * The nightly pipeline's rows in B: the cluster-wide lease (one run at a time; an expired lease,
 * whose node stopped renewing it, is taken over and that run marked failed), and the runs and
 * steps it records.
 */
public final class PipelineStore {
  private final Pool trading;

  public PipelineStore(Pool trading) {
    this.trading = trading;
  }

  /** The run that holds the lease: who refused a start. */
  public record Holder(UUID runId, String node, OffsetDateTime startedAt) {
    public String describe() {
      return "run " + runId + " on node " + node + ", started " + startedAt;
    }
  }

  /** A start refused because another run holds the lease. */
  public static final class Refused extends RuntimeException {
    private final Holder holder;

    public Refused(Holder holder) {
      super("a nightly run is already going: " + holder.describe());
      this.holder = holder;
    }

    public Holder holder() {
      return holder;
    }
  }

  /**
   * Takes the lease for {@code runId} and records the run as running, in one transaction; fails
   * with {@link Refused} while another run's lease is live. Completes with the run's start time.
   */
  public Future<OffsetDateTime> start(UUID runId, String node, String trigger, Duration lease) {
    double secs = lease.toMillis() / 1000.0;
    return trading.withTransaction(conn -> conn.preparedQuery(OpsSql.LEASE_FOR_UPDATE).execute(Tuple.of(OpsSql.PIPELINE)).compose(rows -> {
      if (rows.size() == 0) {
        return conn.preparedQuery(OpsSql.LEASE_INSERT).execute(Tuple.of(OpsSql.PIPELINE, runId, node, secs)).compose(inserted -> inserted.size() == 1
            ? Future.succeededFuture()
            : conn.preparedQuery(OpsSql.LEASE_FOR_UPDATE).execute(Tuple.of(OpsSql.PIPELINE)).compose(again -> Future.failedFuture(new Refused(holder(again.iterator().next())))));
      }
      Row row = rows.iterator().next();
      if (!row.getBoolean("expired")) {
        return Future.failedFuture(new Refused(holder(row)));
      }
      Holder dead = holder(row);
      return conn.preparedQuery(OpsSql.LEASE_TAKE_OVER).execute(Tuple.of(OpsSql.PIPELINE, runId, node, secs))
          .compose(v -> conn.preparedQuery(OpsSql.ABANDON_RUN).execute(Tuple.of(dead.runId(), "taken over by run " + runId + ": the lease of node " + dead.node() + " expired")))
          .mapEmpty();
    }).compose(v -> recordStart(conn, runId, node, trigger)));
  }

  private static Future<OffsetDateTime> recordStart(SqlConnection conn, UUID runId, String node, String trigger) {
    return conn.preparedQuery(OpsSql.RUN_START).execute(Tuple.of(runId, OpsSql.PIPELINE, node, trigger)).map(rows -> rows.iterator().next().getOffsetDateTime("started_at"));
  }

  private static Holder holder(Row r) {
    return new Holder(r.getUUID("run_id"), r.getString("node"), r.getOffsetDateTime("started_at"));
  }

  /** Extends the lease; false when the run no longer holds it (it was taken over). */
  public Future<Boolean> renew(UUID runId, Duration lease) {
    return trading.preparedQuery(OpsSql.LEASE_RENEW).execute(Tuple.of(OpsSql.PIPELINE, runId, lease.toMillis() / 1000.0)).map(rows -> rows.size() == 1);
  }

  public Future<Void> release(UUID runId) {
    return trading.preparedQuery(OpsSql.LEASE_RELEASE).execute(Tuple.of(OpsSql.PIPELINE, runId)).mapEmpty();
  }

  public Future<Void> step(UUID runId, int position, StepResult step) {
    return trading.preparedQuery(OpsSql.STEP)
        .execute(Tuple.of(runId, position, step.name(), step.status().wire(), step.startedAt(), step.ms(), step.detail()))
        .mapEmpty();
  }

  public Future<Void> finish(UUID runId, RunStatus status, long ms, JsonObject summary, Optional<String> error) {
    return trading.preparedQuery(OpsSql.RUN_FINISH).execute(Tuple.of(runId, status.wire(), ms, summary, error.orElse(null))).mapEmpty();
  }

  /** The last finished run's status and end time (empty: none yet), for the metrics export. */
  public Future<Optional<JsonObject>> lastRun() {
    return trading.preparedQuery(OpsSql.LAST_RUN).execute(Tuple.of(OpsSql.PIPELINE)).map((RowSet<Row> rows) -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      return Optional.of(new JsonObject().put("run_id", r.getUUID("run_id").toString()).put("status", r.getString("status")).put("finished_at", r.getOffsetDateTime("finished_at").toInstant().toString()));
    });
  }
}
