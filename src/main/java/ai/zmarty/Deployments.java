package ai.zmarty;

import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The verticles a {@link Wiring} deployed, in the order it deployed them, and how they stop: newest
 * first, one at a time (the HTTP API ends its answers in flight while the router and the credit
 * service it needs still run), except the verticles of one group, which stop together — a worker's
 * poller and job consumers all stop taking work at once and share one grace, instead of each
 * waiting in turn.
 */
final class Deployments {
  private final Vertx vertx;
  private final List<List<String>> groups = new ArrayList<>();
  private List<String> open;

  Deployments(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> deploy(Deployable verticle) {
    return vertx.deployVerticle(verticle).map(id -> {
      if (open != null) {
        open.add(id);
      } else {
        groups.add(List.of(id));
      }
      return null;
    });
  }

  /** The verticles deployed from now until {@link #endGroup} stop together. */
  Future<Void> beginGroup() {
    open = new ArrayList<>();
    groups.add(open);
    return Future.succeededFuture();
  }

  Future<Void> endGroup() {
    open = null;
    return Future.succeededFuture();
  }

  /** Undeploys every group, newest first; a verticle that fails to stop does not hold back the others. */
  Future<Void> undeployAll() {
    List<List<String>> newestFirst = new ArrayList<>(groups);
    groups.clear();
    open = null;
    Collections.reverse(newestFirst);
    Future<Void> undeployed = Future.succeededFuture();
    for (List<String> group : newestFirst) {
      undeployed = undeployed.transform(v -> Future.join(group.stream().map(id -> vertx.undeploy(id).recover(err -> Future.succeededFuture())).toList()).<Void>mapEmpty().recover(err -> Future.succeededFuture()));
    }
    return undeployed;
  }
}
