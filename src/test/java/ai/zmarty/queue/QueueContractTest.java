package ai.zmarty.queue;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.LogCapture;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 11 §6 at the queues: a payload sent with plain SQL ({@code pgmq.send}) that breaks its
 * contract (docs/contracts/queue.*.json) is rejected by its real handler and moved to
 * {@code dead_letter} after ONE read — not after QUEUE_MAX_READS — with the reason naming the field,
 * logged once at WARN with the queue and msg id, never at ERROR.
 */
@ExtendWith(VertxExtension.class)
class QueueContractTest {
  @Test
  void badPayloadsAreDeadLetteredAtTheirFirstReadWithTheReason(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    try (LogCapture logs = new LogCapture()) {
      TestNode.all(vertx, dbs, Map.of("ROLES", "worker", "QUEUE_MAX_READS", "5", "QUEUE_IDLE_POLL", "100ms", "QUEUE_BACKOFF_BASE", "30s"));
      long ingest = Long.parseLong(Sql.one(dbs.trading(), "select pgmq.send('ingest_indicators', '{\"symbol\":\"BTC/USDT\",\"timeframe\":\"7h\"}'::jsonb)"));
      long winrate = Long.parseLong(Sql.one(dbs.trading(), "select pgmq.send('compute_winrate', '{\"symbol\":\"ETH/USDT\"}'::jsonb)"));
      long signals = Long.parseLong(Sql.one(dbs.trading(), "select pgmq.send('compute_signals', '[1,2]'::jsonb)"));

      Eventually.await(Duration.ofSeconds(30), "three messages in dead_letter", () -> Sql.count(dbs.trading(), "select count(*) from pgmq.q_dead_letter") == 3);

      JsonObject a = letter(dbs, "ingest_indicators", ingest);
      assertThat(a.getInteger("read_ct")).isEqualTo(1);
      assertThat(a.getString("error")).startsWith("rejected: ").contains("queue.ingest_indicators").contains("unknown timeframe");
      assertThat(a.getJsonObject("message")).isEqualTo(new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "7h"));
      JsonObject b = letter(dbs, "compute_winrate", winrate);
      assertThat(b.getInteger("read_ct")).isEqualTo(1);
      assertThat(b.getString("error")).contains("timeframe is missing");
      JsonObject c = letter(dbs, "compute_signals", signals);
      assertThat(c.getString("error")).contains("symbol is missing").contains("timeframe is missing");
      assertThat(Sql.count(dbs.trading(), "select (select count(*) from pgmq.q_ingest_indicators) + (select count(*) from pgmq.q_compute_winrate) + (select count(*) from pgmq.q_compute_signals)")).isZero();

      List<ILoggingEvent> rejected = logs.events().stream().filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("rejected")).toList();
      assertThat(rejected).hasSize(3);
      assertThat(rejected).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("queue=ingest_indicators").contains("msg_id=" + ingest).contains("unknown timeframe"));
      assertThat(logs.errorsOrTraces()).isEmpty();
    }
  }

  private static JsonObject letter(TestDatabases.Pair dbs, String queue, long msgId) {
    return new JsonObject(Sql.one(dbs.trading(), "select message::text from pgmq.q_dead_letter where message->>'queue' = '" + queue + "' and (message->>'msg_id')::bigint = " + msgId));
  }
}
