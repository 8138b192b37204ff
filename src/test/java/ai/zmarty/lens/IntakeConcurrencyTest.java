package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.ApiFixture;
import ai.zmarty.testing.Sql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The intake's one-statement write under concurrency: many posts of one idempotency key at the same
 * time end with one event, one timeline row and one enrich message, and every other answer names
 * that event (the conflicting inserts wait for the first, then read it in a statement of their own).
 */
class IntakeConcurrencyTest {
  @RegisterExtension static final ApiFixture fixture = new ApiFixture();

  @Test
  void concurrentPostsOfOneKeyMakeOneEvent() throws Exception {
    String key = new SourceKeys(fixture.api().wiring().tradingPool()).add("racer").await(10, TimeUnit.SECONDS).key();
    JsonObject body = SignalIntakeTest.signal("racer").put("idempotency_key", "same-key");
    List<Future<HttpResponse<Buffer>>> posts = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      posts.add(fixture.api().client().post(fixture.api().port(), "127.0.0.1", "/api/v1/signals").putHeader("X-API-Key", key).sendJsonObject(body));
    }
    Future.all(posts).await(30, TimeUnit.SECONDS);
    List<Integer> statuses = posts.stream().map(f -> f.result().statusCode()).toList();
    assertThat(statuses).filteredOn(s -> s == 202).hasSize(1);
    assertThat(statuses).filteredOn(s -> s == 200).hasSize(15);
    String id = Sql.one(fixture.dbs().trading(), "select event_id from lens.events where source = 'racer'");
    assertThat(posts).allSatisfy(f -> assertThat(f.result().bodyAsJsonObject().getString("event_id")).isEqualTo(id));
    assertThat(Sql.count(fixture.dbs().trading(), "select count(*) from lens.events where source = 'racer'")).isEqualTo(1);
    assertThat(Sql.count(fixture.dbs().trading(), "select count(*) from lens.processing_timeline where event_id = '" + id + "'")).isEqualTo(1);
    assertThat(Sql.count(fixture.dbs().trading(), "select count(*) from pgmq.q_lens_enrich where message->>'event_id' = '" + id + "'")).isEqualTo(1);
  }
}
