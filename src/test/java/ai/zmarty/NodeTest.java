package ai.zmarty;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.RawConfig;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.testing.Sql;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded defaults `demo` runs on: own PostgreSQL under the data dir, kept across restarts. */
class NodeTest {

  private static int healthz(int port) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }

  @Test
  void embeddedNodeAnswersHealthzAndKeepsItsDataAcrossARestart(@TempDir Path dataDir) throws Exception {
    ZmartyConfig config = ZmartyConfig.from(RawConfig.load(Map.of("ZMARTY_DATA_DIR", dataDir.toString(), "HTTP_PORT", "0", "HTTP_HOST", "127.0.0.1", "LOG_FORMAT", "text")));
    UUID user = UUID.randomUUID();

    try (Node node = Node.start(config, false)) {
      assertThat(node.databases().isEmbedded()).isTrue();
      assertThat(node.eventLoops()).as("EVENT_LOOPS 0: half the processors, at least one").isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
      assertThat(node.transport()).as("Java NIO: the jar carries no native transport (bench/gateway's README says why)").startsWith("nio");
      assertThat(healthz(node.wiring().httpPort().orElseThrow())).isEqualTo(200);
      Sql.exec(node.databases().chat(), "insert into auth.users (id) values ('" + user + "')");
      Sql.exec(node.databases().chat(), "insert into profiles (id, tier) values ('" + user + "', 'pro')");
    }

    ZmartyConfig threeLoops = ZmartyConfig.from(RawConfig.load(Map.of("ZMARTY_DATA_DIR", dataDir.toString(), "HTTP_PORT", "0", "HTTP_HOST", "127.0.0.1", "LOG_FORMAT", "text", "EVENT_LOOPS", "3")));
    try (Node again = Node.start(threeLoops, false)) {
      assertThat(again.eventLoops()).isEqualTo(3);
      assertThat(healthz(again.wiring().httpPort().orElseThrow())).isEqualTo(200);
      assertThat(Sql.one(again.databases().chat(), "select tier from profiles where id = '" + user + "'")).isEqualTo("pro");
      assertThat(Sql.count(again.databases().trading(), "select count(*) from pgmq.list_queues()")).isGreaterThanOrEqualTo(4);
    }
  }
}
