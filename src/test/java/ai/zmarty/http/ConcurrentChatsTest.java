package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.ChatApi;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.Sse;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.Users;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 3's concurrency acceptance: 50 chats at once for a user whose balance covers 10 worst
 * cases. The offline analyst is slowed so that every reservation is made while the first answers
 * are still streaming (a settled answer frees the unused part of its hold, which could otherwise
 * let an 11th start legitimately).
 */
@ExtendWith(VertxExtension.class)
class ConcurrentChatsTest {
  private static TestDatabases.Pair dbs;
  private ChatApi api;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void api(Vertx vertx) throws Exception {
    api = ChatApi.deploy(vertx, dbs, "150ms");
  }

  @Test
  void fiftyConcurrentChatsNeverOverdraw() throws Exception {
    UUID user = Users.create(dbs.chat(), "pro", 0);
    String message = "What's the signal for BTC?";
    long worst = api.estimate(user, message);
    long balance = 10 * worst + worst - 1; // covers 10 worst cases, not 11
    Sql.exec(dbs.chat(), "insert into credits_ledger (user_id, delta, reason, request_id) values ('" + user + "', " + balance + ", 'test grant', 'grant-" + user + "')");

    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(api.chat(user, message, true));
    }
    Future.join(calls).await(120, TimeUnit.SECONDS);

    int started = 0;
    int refused = 0;
    long chargedTotal = 0;
    for (Future<HttpResponse<Buffer>> f : calls) {
      HttpResponse<Buffer> r = f.result();
      if (r.statusCode() == 200) {
        started++;
        Sse.Event done = Sse.parse(r.bodyAsString()).getLast();
        assertThat(done.name()).isEqualTo("done");
        chargedTotal += done.data().getLong("credits_charged");
      } else {
        assertThat(r.statusCode()).isEqualTo(402);
        refused++;
      }
    }
    assertThat(started).isBetween(1, 10);
    assertThat(started + refused).isEqualTo(50);
    long after = Users.balance(dbs.chat(), user);
    assertThat(after).isGreaterThanOrEqualTo(0).isEqualTo(balance - chargedTotal);
    assertThat(Users.ledgerSum(dbs.chat(), user)).isEqualTo(after);
    assertThat(Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + user + "' and delta < 0")).isEqualTo(started);
    assertThat(Sql.count(dbs.chat(), "select count(*) from credit_holds where user_id = '" + user + "'")).isZero();
  }
}
