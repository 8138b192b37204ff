package ai.zmarty.queue;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.PgUrl;
import ai.zmarty.db.Pools;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pgmq API the project uses, against database B (the extension or our own migration). */
@ExtendWith(VertxExtension.class)
class PgmqTest {
  private static PgUrl trading;
  private Pool pool;
  private PgmqClient client;
  private String queue;
  private static int n;

  @BeforeAll
  static void database() {
    trading = TestDatabases.migrated().trading();
  }

  @BeforeEach
  void freshQueue(Vertx vertx) {
    queue = "t" + (++n) + "_work";
    Sql.exec(trading, "select pgmq.create('" + queue + "')");
    pool = Pools.create(vertx, trading, 8, "test");
    client = new PgmqClient(pool);
  }

  @AfterEach
  void close() throws Exception {
    pool.close().await(5, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  /** Reads (visibility timeout {@code vt}) until the queue hands a message out, for at most 10 s. */
  private List<QueueMessage> readOnceVisible(Duration vt) {
    return Eventually.until(Duration.ofSeconds(10), "a message in " + queue + " is visible", () -> {
      try {
        return await(client.read(queue, vt, 10));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, messages -> !messages.isEmpty());
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  @Test
  void aReadMessageIsInvisibleUntilItsVtPassesThenComesBackWithReadCountTwo() throws Exception {
    long id = await(client.send(queue, new JsonObject().put("symbol", "BTC/USDT")));

    long hidden = System.nanoTime();
    List<QueueMessage> first = await(client.read(queue, Duration.ofSeconds(1), 10));
    assertThat(first).extracting(QueueMessage::msgId).containsExactly(id);
    assertThat(first.get(0).readCount()).isEqualTo(1);
    assertThat(first.get(0).message().getString("symbol")).isEqualTo("BTC/USDT");

    assertThat(await(client.read(queue, Duration.ofSeconds(1), 10))).isEmpty();

    List<QueueMessage> again = readOnceVisible(Duration.ofSeconds(30));
    assertThat(since(hidden)).as("hidden for its 1 s visibility timeout").isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(again).extracting(QueueMessage::msgId).containsExactly(id);
    assertThat(again.get(0).readCount()).isEqualTo(2);
  }

  @Test
  void readHandsOutTheOldestFirst() throws Exception {
    long a = await(client.send(queue, new JsonObject().put("n", 1)));
    long b = await(client.send(queue, new JsonObject().put("n", 2)));
    long c = await(client.send(queue, new JsonObject().put("n", 3)));
    assertThat(await(client.read(queue, Duration.ofSeconds(30), 2))).extracting(QueueMessage::msgId).containsExactly(a, b);
    assertThat(await(client.read(queue, Duration.ofSeconds(30), 2))).extracting(QueueMessage::msgId).containsExactly(c);
  }

  @Test
  void concurrentReadersNeverReceiveTheSameMessage() throws Exception {
    int total = 200;
    for (int i = 0; i < total; i++) {
      await(client.send(queue, new JsonObject().put("i", i)));
    }
    // Four readers at once, each taking batches until the queue is dry.
    List<Future<List<Long>>> readers = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      readers.add(drain(new ArrayList<>()));
    }
    List<Long> all = new ArrayList<>();
    for (Future<List<Long>> reader : readers) {
      all.addAll(await(reader)); // a slow reader may find the queue already drained: only duplicates matter
    }
    assertThat(all).hasSize(total);
    assertThat(new HashSet<>(all)).hasSize(total);
  }

  private Future<List<Long>> drain(List<Long> got) {
    return client
        .read(queue, Duration.ofSeconds(60), 3)
        .compose(
            batch -> {
              if (batch.isEmpty()) {
                return Future.succeededFuture(got);
              }
              batch.forEach(m -> got.add(m.msgId()));
              return drain(got);
            });
  }

  @Test
  void archiveMovesTheMessageToTheArchiveTable() throws Exception {
    long id = await(client.send(queue, new JsonObject().put("k", "v")));
    assertThat(await(client.archive(queue, id))).isTrue();
    assertThat(Sql.count(trading, "select count(*) from pgmq.q_" + queue)).isZero();
    assertThat(Sql.one(trading, "select message->>'k' from pgmq.a_" + queue + " where msg_id = " + id)).isEqualTo("v");
    assertThat(await(client.archive(queue, id))).isFalse();
  }

  @Test
  void deleteRemovesWithoutArchiving() throws Exception {
    long id = await(client.send(queue, new JsonObject()));
    assertThat(await(client.delete(queue, id))).isTrue();
    assertThat(Sql.count(trading, "select count(*) from pgmq.q_" + queue)).isZero();
    assertThat(Sql.count(trading, "select count(*) from pgmq.a_" + queue)).isZero();
  }

  @Test
  void metricsCountWhatIsThere() throws Exception {
    for (int i = 0; i < 5; i++) {
      await(client.send(queue, new JsonObject().put("i", i)));
    }
    List<QueueMessage> taken = await(client.read(queue, Duration.ofSeconds(60), 2));
    await(client.archive(queue, taken.get(0).msgId()));

    QueueMetrics m = await(client.metricsAll()).stream().filter(x -> x.queue().equals(queue)).findFirst().orElseThrow();
    assertThat(m.length()).isEqualTo(4);
    assertThat(m.visibleLength()).isEqualTo(3);
    assertThat(m.totalMessages()).isEqualTo(5);
    assertThat(m.oldestMessageAgeSeconds()).isNotNull().isGreaterThanOrEqualTo(0);
  }

  @Test
  void aDelayedMessageIsNotReadableBeforeItsDelay() throws Exception {
    long sent = System.nanoTime();
    long id = await(client.send(queue, new JsonObject(), Duration.ofSeconds(2)));
    assertThat(await(client.read(queue, Duration.ofSeconds(30), 10))).isEmpty();
    assertThat(readOnceVisible(Duration.ofSeconds(30))).extracting(QueueMessage::msgId).containsExactly(id);
    assertThat(since(sent)).as("not readable before its 2 s delay").isGreaterThanOrEqualTo(Duration.ofMillis(1900));
  }

  @Test
  void setVtHidesAMessageForTheGivenTime() throws Exception {
    long id = await(client.send(queue, new JsonObject()));
    long hidden = System.nanoTime();
    assertThat(await(client.setVisibleAfter(queue, id, Duration.ofSeconds(2)))).isTrue();
    assertThat(await(client.read(queue, Duration.ofSeconds(30), 10))).isEmpty();
    assertThat(readOnceVisible(Duration.ofSeconds(30))).extracting(QueueMessage::msgId).containsExactly(id);
    assertThat(since(hidden)).as("hidden for the 2 s it was set to").isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    assertThat(await(client.setVisibleAfter(queue, 999_999, Duration.ofSeconds(2)))).isFalse();
  }

  @Test
  void deadLetterMovesTheMessageWithItsError() throws Exception {
    long id = await(client.send(queue, new JsonObject().put("symbol", "ETH/USDT")));
    QueueMessage m = await(client.read(queue, Duration.ofSeconds(30), 1)).get(0);
    await(client.deadLetter(queue, m, "dead_letter", "boom"));
    assertThat(Sql.count(trading, "select count(*) from pgmq.q_" + queue)).isZero();
    String letter = Sql.one(trading, "select message::text from pgmq.q_dead_letter where message->>'queue' = '" + queue + "'");
    JsonObject json = new JsonObject(letter);
    assertThat(json.getLong("msg_id")).isEqualTo(id);
    assertThat(json.getString("error")).isEqualTo("boom");
    assertThat(json.getJsonObject("message").getString("symbol")).isEqualTo("ETH/USDT");
  }

  @Test
  void queueNamesThatCouldInjectAreRejected() {
    Set<String> bad = Set.of("x'; drop table pgmq.meta; --", "a$b", "x".repeat(48));
    for (String name : bad) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sql.exec(trading, "select pgmq.create(" + quote(name) + ")")).isInstanceOf(IllegalStateException.class);
    }
    assertThat(Sql.count(trading, "select count(*) from pgmq.meta")).isPositive();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
