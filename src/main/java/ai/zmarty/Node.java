package ai.zmarty;

import ai.zmarty.cluster.HazelcastSetup;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.db.Databases;
import ai.zmarty.db.Migrations;
import ai.zmarty.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running copy of the program: its databases (migrated), its Vert.x (clustered or not) and
 * the verticles of its roles. Started from the CLI's main thread, which may block.
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final Databases databases;
  private final Vertx vertx;
  private final Wiring wiring;

  private Node(Databases databases, Vertx vertx, Wiring wiring) {
    this.databases = databases;
    this.vertx = vertx;
    this.wiring = wiring;
  }

  public static Node start(ZmartyConfig config, boolean clustered) {
    Databases databases = Databases.open(config.database());
    Vertx vertx = null;
    try {
      Migrations.apply(databases.chat(), Migrations.Target.CHAT);
      Migrations.apply(databases.trading(), Migrations.Target.TRADING);
      Metrics metrics = Metrics.create(config.metrics());
      vertx = clustered ? clusteredVertx(config, metrics) : metrics.vertxBuilder(vertxOptions(config)).build();
      log.info("network transport: {}", transport(vertx));
      Wiring wiring = Wiring.deploy(vertx, config, metrics, databases.chat(), databases.trading()).await(2, TimeUnit.MINUTES);
      return new Node(databases, vertx, wiring);
    } catch (Exception e) {
      if (vertx != null) {
        vertx.close();
      }
      databases.close();
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * {@code nio}, or the native transport Vert.x found on the class path ({@code epoll}). The jar
   * carries none: with Netty's native epoll the gateway made a third fewer system calls per chat at
   * about the same CPU, but one event to 10,000 SSE streams reached the 99th of them 2.7–4.7× later
   * (bench/gateway's README, 2026-11-30 17:10–17:50).
   */
  public static String transport(Vertx vertx) {
    return vertx.isNativeTransportEnabled() ? "epoll" : "nio";
  }

  /** The Vert.x options of a node: a native transport if one is on the class path, {@code EVENT_LOOPS} loops; benches start theirs with these too. */
  public static VertxOptions vertxOptions(ZmartyConfig config) {
    return new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(config.eventLoopThreads());
  }

  private static Vertx clusteredVertx(ZmartyConfig config, Metrics metrics) throws Exception {
    log.info("joining cluster {} as {} (members {})", config.cluster().name(), config.cluster().host(), config.cluster().members());
    return metrics.vertxBuilder(vertxOptions(config).setEventBusOptions(HazelcastSetup.eventBusOptions(config.cluster())))
        .withClusterManager(HazelcastSetup.clusterManager(config.cluster()))
        .buildClustered()
        .await(2, TimeUnit.MINUTES);
  }

  /** This node's network transport: {@code nio}, or {@code epoll} when Netty's native one is on the class path. */
  public String transport() {
    return transport(vertx);
  }

  /** How many event-loop threads the node's Vert.x runs ({@code EVENT_LOOPS}). */
  public int eventLoops() {
    return eventLoops(vertx);
  }

  /** How many event-loop threads {@code vertx} runs. */
  public static int eventLoops(Vertx vertx) {
    int n = 0;
    for (var ignored : ((io.vertx.core.internal.VertxInternal) vertx).nettyEventLoopGroup()) {
      n++;
    }
    return n;
  }

  public Wiring wiring() {
    return wiring;
  }

  public Databases databases() {
    return databases;
  }

  /**
   * Stops the node (SIGTERM runs this): its verticles stop taking work and finish or hand back what
   * is in flight ({@link Wiring#close}), then Vert.x closes, which is when a clustered node leaves
   * the cluster — last, so the work in flight kept the bus to the end.
   */
  @Override
  public void close() {
    long started = System.nanoTime();
    log.info("node stopping: no new work; finishing or handing back the work in flight");
    try {
      wiring.close().await(25, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("verticles did not stop cleanly: {}", e.getMessage());
    }
    long drained = System.nanoTime();
    log.info("node work stopped in {} ms; closing Vert.x{}", (drained - started) / 1_000_000, vertx.isClustered() ? " and leaving the cluster" : "");
    try {
      vertx.close().await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("Vert.x did not stop cleanly: {}", e.getMessage());
    }
    databases.close();
    log.info("node stopped in {} ms (Vert.x closed in {} ms)", (System.nanoTime() - started) / 1_000_000, (System.nanoTime() - drained) / 1_000_000);
  }
}
