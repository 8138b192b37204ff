package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.NodeProcess;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.Sse;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.Users;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A real process stopped with SIGTERM in the middle of a streamed answer (issue 9, finding 7). */
class ChatShutdownProcessIT {
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void sigtermMidStreamEndsTheAnswerWithShuttingDownChargesWhatWasDeliveredAndFreesHoldAndKey() throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    int port = freePort();
    Map<String, String> env = new HashMap<>(dbs.env());
    env.putAll(Map.of("JWT_SECRET", TestJwt.SECRET, "HTTP_PORT", Integer.toString(port), "LOG_FORMAT", "text", "OFFLINE_PACE", "200ms",
        "ZMARTY_DATA_DIR", Files.createTempDirectory("zmarty-sigterm").toString()));
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    try (NodeProcess node = new NodeProcess("api", env, "run", "--roles", "api").start()) {
      node.awaitOutput("zmarty node up", Duration.ofSeconds(120));
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat")).timeout(Duration.ofSeconds(60))
          .header("Authorization", "Bearer " + TestJwt.valid(user)).header("content-type", "application/json").header("Accept", "text/event-stream")
          .header("Idempotency-Key", "sigterm-1").POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"What's the signal for BTC?\"}")).build();
      HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
      assertThat(response.statusCode()).isEqualTo(200);
      String requestId = response.headers().firstValue("x-request-id").orElseThrow();
      StringBuilder body = new StringBuilder();
      Iterator<String> lines = response.body().iterator();
      boolean stopped = false;
      while (lines.hasNext()) { // ends only when the server ends the chunked response properly
        String line = lines.next();
        body.append(line).append('\n');
        if (!stopped && line.equals("event: token")) {
          stopped = true;
          node.terminate();
        }
      }
      assertThat(stopped).isTrue();
      List<Sse.Event> events = Sse.parse(body.toString());
      Sse.Event last = events.getLast();
      assertThat(last.name()).isEqualTo("error");
      assertThat(last.data().getString("error")).isEqualTo("shutting_down");
      long charged = last.data().getLong("credits_charged");
      assertThat(charged).isPositive();
      assertThat(node.awaitExit(Duration.ofSeconds(60))).as("the node exits after draining").isNotEqualTo(-1);

      assertThat(Sql.one(dbs.chat(), "select delta from credits_ledger where request_id = '" + requestId + "'")).isEqualTo(Long.toString(-charged));
      assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000 - charged);
      assertThat(Sql.count(dbs.chat(), "select count(*) from credit_holds where user_id = '" + user + "'")).as("no hold left behind").isZero();
      assertThat(Sql.count(dbs.chat(), "select count(*) from chat_requests where user_id = '" + user + "'")).as("the key is released").isZero();
      assertThat(node.output()).as("nothing logged as an error while stopping").doesNotContain("ERROR");
    }
  }
}
