package ai.zmarty;

import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The verticles a {@link Wiring} deployed, and how they stop: newest first, one at a time (the HTTP
 * API ends its answers in flight while the router and the credit service it needs still run) —
 * except the verticles of a group, which all stop at once, alongside that sequence: a worker's
 * poller and job consumers stop taking work together and share one grace, instead of waiting their
 * turn behind the API's and the relay's (a node running every role stops as fast as its slowest part).
 */
final class Deployments {
  private final Vertx vertx;
  /** The verticles stopped in turn, in deployment order. */
  private final List<String> sequence = new ArrayList<>();
  private final List<String> together = new ArrayList<>();
  private boolean grouping;

  Deployments(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> deploy(Deployable verticle) {
    return vertx.deployVerticle(verticle).map(id -> {
      if (grouping) {
        together.add(id);
      } else {
        sequence.add(id);
      }
      return null;
    });
  }

  /** The verticles deployed from now until {@link #endGroup} stop together, at once. */
  Future<Void> beginGroup() {
    grouping = true;
    return Future.succeededFuture();
  }

  Future<Void> endGroup() {
    grouping = false;
    return Future.succeededFuture();
  }

  /** Undeploys everything; a verticle that fails to stop does not hold back the others. */
  Future<Void> undeployAll() {
    List<String> newestFirst = new ArrayList<>(sequence);
    List<String> group = List.copyOf(together);
    sequence.clear();
    together.clear();
    Collections.reverse(newestFirst);
    Future<Void> grouped = Future.join(group.stream().map(this::undeploy).toList()).mapEmpty();
    Future<Void> inTurn = Future.succeededFuture();
    for (String id : newestFirst) {
      inTurn = inTurn.transform(v -> undeploy(id));
    }
    return Future.join(grouped, inTurn).<Void>mapEmpty().recover(err -> Future.succeededFuture());
  }

  private Future<Void> undeploy(String id) {
    return vertx.undeploy(id).recover(err -> Future.succeededFuture());
  }
}
