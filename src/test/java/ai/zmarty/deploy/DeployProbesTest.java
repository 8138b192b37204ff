package ai.zmarty.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The paths deploy/ probes (Docker HEALTHCHECK, Render's health check, Kubernetes probes, the
 * Prometheus scrape), asked of real nodes: an API node on its HTTP port, a worker on METRICS_PORT.
 */
@ExtendWith(VertxExtension.class)
class DeployProbesTest {
  private static final Set<String> API_PATHS = Set.of("/healthz", "/metrics");
  private static final Set<String> WORKER_PATHS = Set.of("/healthz", "/metrics");

  /** The paths a node answers 200 on (this test proves it), for the file checks of {@link DeployFilesTest}. */
  static Set<String> servedPaths(boolean api) {
    return api ? API_PATHS : WORKER_PATHS;
  }

  @Test
  void everyProbedPathAnswers200OnTheNodeThatIsProbed(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode api = TestNode.api(vertx, dbs, Map.of());
    TestNode worker = TestNode.start(vertx, dbs.config(Map.of("ROLES", "worker")), dbs.chat(), dbs.trading());
    int workerPort = worker.wiring().metricsPort().orElseThrow();
    for (String path : API_PATHS) {
      assertThat(get(api, api.port(), path).statusCode()).as("api " + path).isEqualTo(200);
    }
    for (String path : WORKER_PATHS) {
      assertThat(get(api, workerPort, path).statusCode()).as("worker " + path).isEqualTo(200);
    }
    // and the files probe only those
    assertThat(Files.readString(Path.of("deploy/render.yaml"))).contains("healthCheckPath: /healthz");
    assertThat(Files.readString(Path.of("deploy/Dockerfile"))).contains("GET /healthz");
    assertThat(Files.readString(Path.of("deploy/prometheus/prometheus.yml"))).contains("metrics_path: /metrics");
  }

  private static HttpResponse<Buffer> get(TestNode client, int port, String path) throws Exception {
    return client.client().get(port, "127.0.0.1", path).send().await(10, TimeUnit.SECONDS);
  }
}
