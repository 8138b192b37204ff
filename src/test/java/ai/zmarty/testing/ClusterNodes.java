package ai.zmarty.testing;

import ai.zmarty.cluster.HazelcastSetup;
import ai.zmarty.config.ZmartyConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/** Clustered Vert.x instances in one JVM, Hazelcast over loopback TCP-IP, as {@code run --cluster} builds them. */
public final class ClusterNodes {
  private ClusterNodes() {}

  /** A clustered Vert.x on {@code config}'s cluster settings (joining takes some seconds). */
  public static Vertx clustered(ZmartyConfig config) throws Exception {
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(HazelcastSetup.eventBusOptions(config.cluster())))
        .withClusterManager(HazelcastSetup.clusterManager(config.cluster()))
        .buildClustered()
        .await(90, TimeUnit.SECONDS);
  }

  /** A port free right now (one per node, so a build running beside this one cannot take them). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
