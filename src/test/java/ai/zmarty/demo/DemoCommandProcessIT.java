package ai.zmarty.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.admin.BridgeSocket;
import ai.zmarty.bus.Addresses;
import ai.zmarty.testing.NodeProcess;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code zmarty demo} from the jar, its output going to a file (not a terminal): it leads with the
 * chat app's and the admin page's URLs, each signed in by a {@code #token=} fragment, before any
 * other line of its own; the log lines before them are JSON; the user token reads the demo user's
 * credits and the operator token is accepted by the event-bus bridge.
 */
class DemoCommandProcessIT {
  private static final Pattern CHAT = Pattern.compile("^Chat app, signed in as the demo user: +(http://localhost:(\\d+))/#token=([\\w.-]+)$");
  private static final Pattern ADMIN = Pattern.compile("^Admin page, signed in as the demo operator: (http://localhost:\\d+)/admin/#token=([\\w.-]+)$");

  @Test
  void leadsWithTheChatAppAndTheAdminPageSignedIn() throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Path data = Files.createTempDirectory("zmarty-demo-");
    Map<String, String> env = new HashMap<>(dbs.env());
    env.putAll(Map.of("ZMARTY_DATA_DIR", data.toString(), "HTTP_PORT", "0", "HTTP_HOST", "127.0.0.1", "JWT_SECRET", "", "LOG_FORMAT", "auto",
        "SCHEDULER_INGEST_CRON", "0 3 1 1 *", "SCHEDULER_WINRATE_CRON", "0 3 1 1 *"));
    try (NodeProcess demo = new NodeProcess("demo", env, "demo")) {
      demo.start();
      demo.awaitOutput("Zmarty demo is running at", Duration.ofSeconds(150));
      List<String> lines = demo.output().lines().toList();

      int first = -1;
      for (int i = 0; i < lines.size() && first < 0; i++) {
        if (lines.get(i).startsWith("Chat app")) {
          first = i;
        }
      }
      assertThat(first).as(demo.output()).isPositive();
      // nothing of the demo's own comes before: only blank lines and JSON log events (not a terminal)
      for (String line : lines.subList(0, first)) {
        if (!line.isBlank()) {
          assertThat(new JsonObject(line).getString("app")).as(line).isEqualTo("zmarty");
        }
      }
      Matcher chat = CHAT.matcher(lines.get(first));
      Matcher admin = ADMIN.matcher(lines.get(first + 1));
      assertThat(chat.matches()).as(lines.get(first)).isTrue();
      assertThat(admin.matches()).as(lines.get(first + 1)).isTrue();
      assertThat(lines.indexOf("Zmarty demo is running at " + chat.group(1))).isGreaterThan(first + 1);
      String base = chat.group(1);
      int port = Integer.parseInt(chat.group(2));
      assertThat(admin.group(1)).isEqualTo(base);

      String userToken = chat.group(3);
      String operatorToken = admin.group(2);
      assertThat(claims(userToken).getString("sub")).isEqualTo(DemoSeed.DEMO_USER.toString());
      assertThat(claims(userToken).getJsonObject("app_metadata").getString("role")).isNull();
      assertThat(claims(operatorToken).getString("sub")).isEqualTo(DemoSeed.DEMO_OPERATOR.toString());
      assertThat(claims(operatorToken).getJsonObject("app_metadata").getString("role")).isEqualTo("admin");

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> credits = http.send(HttpRequest.newBuilder(URI.create(base + "/credits")).header("Authorization", "Bearer " + userToken).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(credits.statusCode()).as(credits.body()).isEqualTo(200);
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Zmarty admin");

      Vertx vertx = Vertx.vertx();
      try (BridgeSocket socket = BridgeSocket.open(vertx, port, null, Duration.ofSeconds(60))) {
        socket.register(Addresses.ADMIN_HEALTH, BridgeSocket.bearer(operatorToken));
        assertThat(socket.awaitRec(Duration.ofSeconds(30), Addresses.ADMIN_HEALTH, body -> true)).isNotNull();
      } finally {
        vertx.close().await();
      }
      // and the user's token is no operator's
      vertx = Vertx.vertx();
      try (BridgeSocket socket = BridgeSocket.open(vertx, port, null, Duration.ofSeconds(60))) {
        socket.register(Addresses.ADMIN_HEALTH, BridgeSocket.bearer(userToken));
        assertThat(socket.closedWithin(Duration.ofSeconds(15))).isTrue();
      } finally {
        vertx.close().await();
      }
    }
  }

  private static JsonObject claims(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }
}
