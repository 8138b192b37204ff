package ai.zmarty.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.LogLines;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The event-bus bridge at {@code /eventbus/websocket} over a raw WebSocket, against a real node
 * (api and ops roles) on real databases: who gets in, what goes out and in, and the operators'
 * actions on dead letters and queues.
 */
@ExtendWith(VertxExtension.class)
class AdminBridgeTest {
  static final UUID SERVICE_SUB = UUID.randomUUID();
  static final String SERVICE = TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(SERVICE_SUB).put("role", "service_role"));
  static final String ADMIN_USER = TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(UUID.randomUUID()).put("email", "ops@example.com").put("app_metadata", new JsonObject().put("role", "admin")));
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** No schedule fires while a test runs (1 January, 03:00). */
  static final Map<String, String> QUIET = Map.of("ROLES", "api,ops", "SCHEDULER_INGEST_CRON", "0 3 1 1 *", "SCHEDULER_WINRATE_CRON", "0 3 1 1 *", "NIGHTLY_CRON", "0 3 1 1 *");

  @Test
  void operatorsGetTheSnapshotsWithATokenInTheFrameHeadersOrTheSocketQuery(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Map<String, String> env = new java.util.HashMap<>(QUIET);
    env.put("HTTP_REQUEST_TIMEOUT", "1s"); // an open socket is not a slow request
    TestNode node = TestNode.all(vertx, dbs, env);

    try (BridgeSocket service = BridgeSocket.open(vertx, node.port(), null);
        BridgeSocket admin = BridgeSocket.open(vertx, node.port(), null);
        // the token `zmarty token --admin` prints, in the socket's query
        BridgeSocket byQuery = BridgeSocket.open(vertx, node.port(), "token=" + ai.zmarty.http.Tokens.mint(ai.zmarty.http.Tokens.hs256(vertx, TestJwt.SECRET), UUID.randomUUID(), "free", Duration.ofMinutes(5), true))) {
      service.register(Addresses.ADMIN_QUEUES, BridgeSocket.bearer(SERVICE));
      admin.register(Addresses.ADMIN_CLUSTER, BridgeSocket.bearer(ADMIN_USER));
      byQuery.register(Addresses.ADMIN_QUEUES, new JsonObject());

      JsonObject queues = service.awaitRec(WAIT, Addresses.ADMIN_QUEUES, b -> b.containsKey("queues"));
      List<String> names = queues.getJsonArray("queues").stream().map(q -> ((JsonObject) q).getString("queue")).toList();
      assertThat(names).contains("ingest_indicators", "compute_signals", "compute_winrate", "dead_letter", "lens_enrich", "lens_evaluate");
      JsonObject ingest = queues.getJsonArray("queues").stream().map(JsonObject.class::cast).filter(q -> q.getString("queue").equals("ingest_indicators")).findFirst().orElseThrow();
      assertThat(ingest.fieldNames()).contains("depth", "waiting", "in_flight", "oldest_age_sec", "done_last_minute", "paused", "series");
      assertThat(admin.awaitRec(WAIT, Addresses.ADMIN_CLUSTER, b -> !b.getJsonArray("nodes").isEmpty()).getJsonArray("nodes").getJsonObject(0).getJsonArray("roles").getList())
          .contains("api", "ops");
      byQuery.awaitRec(WAIT, Addresses.ADMIN_QUEUES, b -> b.containsKey("queues"));

      // an enqueued job shows in the next snapshots
      Sql.exec(dbs.trading(), "select pgmq.send('compute_winrate', '{}'::jsonb)");
      service.awaitRec(WAIT, Addresses.ADMIN_QUEUES, b -> depth(b, "compute_winrate") == 1);
      // still open and fed well past the 1 s request timeout
      long first = System.nanoTime();
      Eventually.await(WAIT, "3 s of snapshots", () -> System.nanoTime() - first > 3_000_000_000L && !service.closed.isDone() && recOk(service));
      assertThat(service.closed).isNotDone();
    }
  }

  private static boolean recOk(BridgeSocket s) {
    try {
      s.awaitRec(Duration.ofSeconds(3), Addresses.ADMIN_QUEUES, b -> true);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static long depth(JsonObject snapshot, String queue) {
    return snapshot.getJsonArray("queues").stream().map(JsonObject.class::cast).filter(q -> q.getString("queue").equals(queue)).findFirst().orElseThrow().getLong("depth");
  }

  @Test
  void normalForgedSelfMadeAndMissingTokensAreRefusedAndTheSocketClosed(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.all(vertx, dbs, QUIET);
    Map<String, JsonObject> refused = new LinkedHashMap<>();
    refused.put("a normal user's token", BridgeSocket.bearer(TestJwt.valid(UUID.randomUUID())));
    refused.put("a forged service-role token", BridgeSocket.bearer(TestJwt.hs256("another-secret-another-secret-another-0", TestJwt.claims(UUID.randomUUID()).put("role", "service_role"))));
    refused.put("a user who set user_metadata.role admin", BridgeSocket.bearer(TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(UUID.randomUUID()).put("user_metadata", new JsonObject().put("role", "admin")))));
    refused.put("an unsigned service-role token", BridgeSocket.bearer(TestJwt.unsigned(TestJwt.claims(UUID.randomUUID()).put("role", "service_role"))));
    refused.put("no token", new JsonObject());
    refused.put("a token without Bearer", new JsonObject().put("Authorization", SERVICE));
    for (var c : refused.entrySet()) {
      for (String type : List.of("register", "send")) {
        try (BridgeSocket s = BridgeSocket.open(vertx, node.port(), null)) {
          if (type.equals("register")) {
            s.register(Addresses.ADMIN_QUEUES, c.getValue());
          } else {
            s.send(Addresses.ADMIN_QUEUE_PAUSE, new JsonObject().put("queue", "compute_winrate"), c.getValue(), "reply-1");
          }
          JsonObject err = s.await(WAIT, c.getKey() + " " + type, f -> "err".equals(f.getString("type")));
          assertThat(err.getString("body")).as(c.getKey()).isEqualTo("rejected");
          assertThat(err.getString("message")).as(c.getKey()).matches("(invalid token|not an operator|missing bearer token|the Authorization header).*");
          assertThat(s.closedWithin(WAIT)).as(c.getKey() + ": socket closed after " + type).isTrue();
        }
      }
    }
    assertThat(Sql.count(dbs.trading(), "select count(*) from public.queue_pauses")).as("no refused send paused anything").isZero();
    // a normal user's token in the socket's query: closed at once
    try (BridgeSocket s = BridgeSocket.open(vertx, node.port(), "token=" + TestJwt.valid(UUID.randomUUID()))) {
      assertThat(s.closedWithin(WAIT)).isTrue();
    }
  }

  @Test
  void onlyAdminSnapshotsGoOutAndOnlyActionsComeIn(Vertx vertx) throws Exception {
    TestNode node = TestNode.all(vertx, TestDatabases.migrated(), QUIET);
    try (BridgeSocket s = BridgeSocket.open(vertx, node.port(), null)) {
      s.register(Addresses.EVENTS_SIGNAL_CREATED, BridgeSocket.bearer(SERVICE));
      assertThat(s.await(WAIT, "register events.*", f -> "err".equals(f.getString("type"))).getString("body")).isEqualTo("access_denied");
      s.send(Addresses.CREDIT_GRANT, new JsonObject().put("user_id", UUID.randomUUID().toString()).put("amount", 1000), BridgeSocket.bearer(SERVICE), "r1");
      assertThat(s.await(WAIT, "send credit.grant", f -> "err".equals(f.getString("type"))).getString("body")).isEqualTo("access_denied");
      s.register(Addresses.ADMIN_QUEUE_PAUSE, BridgeSocket.bearer(SERVICE)); // actions are not readable
      assertThat(s.await(WAIT, "register an action address", f -> "err".equals(f.getString("type"))).getString("body")).isEqualTo("access_denied");
      // an operator's refused address is not a reason to hang up: the snapshots still come
      s.register(Addresses.ADMIN_QUEUES, BridgeSocket.bearer(SERVICE));
      s.awaitRec(WAIT, Addresses.ADMIN_QUEUES, b -> b.containsKey("queues"));
      // a bad action body gets a 400 reply, not a silence
      s.send(Addresses.ADMIN_DLQ_RETRY, new JsonObject().put("id", "x"), BridgeSocket.bearer(SERVICE), "r2");
      JsonObject bad = s.await(WAIT, "reply to a bad body", f -> "r2".equals(f.getString("address")));
      assertThat(bad.getString("type")).isEqualTo("err");
      assertThat(bad.getInteger("failureCode")).isEqualTo(400);
      assertThat(bad.getString("message")).contains("id must be");
    }
  }
}
