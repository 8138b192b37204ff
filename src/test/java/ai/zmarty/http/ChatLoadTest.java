package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Sql;
import ai.zmarty.testing.Sse;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 4's concurrency acceptance: 200 parallel chats × 20 rounds for users with small balances.
 * Whatever the interleaving: no overdraft, no request charged twice, each user's ledger sums to
 * their balance, every started answer has exactly one charge row, and no hold is left behind.
 */
@ExtendWith(VertxExtension.class)
class ChatLoadTest {

  @Test
  void twoHundredParallelChatsTimesTwentyRounds(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.api(vertx, dbs, Map.of("OFFLINE_PACE", "0ms", "RATE_LIMIT_PER_MINUTE", "100000", "MAX_CONCURRENT_STREAMS", "1000", "DB_POOL_SIZE", "16"));
    int port = node.port();
    WebClient client = node.chat().client(); // a pool of 250 connections

    // 50 users, 4 chats of each in every round; free tier (worst case ≈ 6 credits), 20–60 credits each.
    List<UUID> users = new ArrayList<>();
    Map<UUID, Long> granted = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      long credits = 20 + (i % 5) * 10;
      UUID u = Users.create(dbs.chat(), "free", credits);
      users.add(u);
      granted.put(u, credits);
    }
    Map<UUID, String> tokens = new HashMap<>();
    users.forEach(u -> tokens.put(u, TestJwt.valid(u)));

    int started = 0;
    int refused = 0;
    Map<UUID, Long> charged = new HashMap<>();
    for (int round = 0; round < 20; round++) {
      List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
      List<UUID> who = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        UUID u = users.get(i % users.size());
        who.add(u);
        calls.add(client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + tokens.get(u)).putHeader("Accept", "text/event-stream")
            .sendJsonObject(new JsonObject().put("message", "BTC?")));
      }
      Future.join(calls).await(120, TimeUnit.SECONDS);
      for (int i = 0; i < calls.size(); i++) {
        HttpResponse<Buffer> r = calls.get(i).result();
        if (r.statusCode() == 200) {
          Sse.Event done = Sse.parse(r.bodyAsString()).getLast();
          assertThat(done.name()).isEqualTo("done");
          charged.merge(who.get(i), done.data().getLong("credits_charged"), Long::sum);
          started++;
        } else {
          assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(402);
          refused++;
        }
      }
    }
    System.out.printf("chat load: %d answered, %d refused with 402%n", started, refused);
    assertThat(started + refused).isEqualTo(4000);
    assertThat(started).isPositive();
    assertThat(refused).isPositive();

    assertThat(Sql.count(dbs.chat(), "select count(*) from credit_balance where balance < 0")).as("overdrafts").isZero();
    assertThat(Sql.count(dbs.chat(), "select count(*) - count(distinct request_id) from credits_ledger")).as("duplicate charges").isZero();
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where delta < 0")).as("one charge row per answer").isEqualTo(started);
    assertThat(Sql.count(dbs.chat(), "select count(*) from credit_holds")).as("holds left").isZero();
    for (UUID u : users) {
      long balance = Users.balance(dbs.chat(), u);
      assertThat(Users.ledgerSum(dbs.chat(), u)).isEqualTo(balance);
      assertThat(balance).isEqualTo(granted.get(u) - charged.getOrDefault(u, 0L));
    }
  }
}
