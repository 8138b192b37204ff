package ai.zmarty.queue;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.db.Pools;
import ai.zmarty.market.Pair;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The lines a real job writes (the real poller reading a real pgmq queue, the real {@link
 * JobHandler}), through the production JSON encoder: each field is a JSON value of its own type,
 * and the text format shows the same facts as {@code key=value}.
 */
@ExtendWith(VertxExtension.class)
class JobLogFieldsTest {
  private static TestDatabases.Pair dbs;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final List<Logger> loggers = new ArrayList<>();
  private OutputStreamAppender<ILoggingEvent> json;
  private ListAppender<ILoggingEvent> events;
  private Pool pool;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void capture(Vertx vertx) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.start();
    json = new OutputStreamAppender<>();
    json.setContext(context);
    json.setEncoder(encoder);
    json.setOutputStream(out);
    json.start();
    events = new ListAppender<>();
    events.setContext(context);
    events.start();
    for (String name : List.of("ai.zmarty.queue.PgmqPollerVerticle", "ai.zmarty.queue.JobLogFieldsTest")) {
      Logger l = context.getLogger(name);
      l.addAppender(json);
      l.addAppender(events);
      loggers.add(l);
    }
    pool = Pools.create(vertx, dbs.trading(), 4, "test");
  }

  @AfterEach
  void release() throws Exception {
    loggers.forEach(l -> {
      l.detachAppender(json);
      l.detachAppender(events);
    });
    pool.close().await(5, TimeUnit.SECONDS);
  }

  private List<JsonObject> lines() {
    synchronized (out) {
      return Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> !l.isBlank()).map(JsonObject::new).toList();
    }
  }

  @Test
  void aJobsLinesCarryEveryFieldAsJson(Vertx vertx) throws Exception {
    String queue = "joblog";
    Sql.exec(dbs.trading(), "select pgmq.create('" + queue + "')");
    PgmqClient client = new PgmqClient(pool);
    org.slf4j.Logger handlerLog = LoggerFactory.getLogger(JobLogFieldsTest.class);
    vertx.eventBus().consumer(Addresses.job(queue), JobHandler.of(queue, JobHandler.contract(Addresses.QUEUE_COMPUTE_SIGNALS), handlerLog, Pair::fromJson, p -> Future.succeededFuture(new JsonObject().put("created", 0)), r -> "created=0"));
    // three messages wait before the poller starts: the batch that reads them sees a depth of 3
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(client.send(queue, new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "1h")).await(10, TimeUnit.SECONDS));
    }
    vertx.deployVerticle(new PgmqPollerVerticle(client, dbs.config(Map.of("QUEUE_NAMES", queue, "QUEUE_IDLE_POLL", "100ms", "QUEUE_BATCH_SIZE", "10")).queue())).await(10, TimeUnit.SECONDS);
    long id = ids.getFirst();

    Eventually.await(Duration.ofSeconds(20), "the poller's and the handler's lines for the job",
        () -> lines().stream().filter(l -> Long.valueOf(id).equals(l.getValue("msg_id") instanceof Number n ? n.longValue() : null)).count() >= 2);
    List<JsonObject> mine = lines().stream().filter(l -> l.getValue("msg_id") instanceof Number n && n.longValue() == id).toList();
    assertThat(mine).extracting(l -> l.getString("message")).anyMatch(m -> m.startsWith("job done")).anyMatch(m -> m.startsWith("job archived"));
    for (JsonObject line : mine) {
      assertThat(line.getValue("service")).isEqualTo("worker");
      assertThat(line.getValue("queue")).isEqualTo(queue);
      assertThat(line.getValue("read_ct")).isInstanceOf(Number.class);
      assertThat(line.getInteger("read_ct")).isEqualTo(1);
      assertThat(line.getValue("symbol")).isEqualTo("BTC/USDT");
      assertThat(line.getValue("timeframe")).isEqualTo("1h");
      assertThat(line.getValue("job_ms")).isInstanceOf(Number.class);
      assertThat(line.getLong("job_ms")).isNotNegative();
      assertThat(line.getValue("queue_depth")).isInstanceOf(Number.class);
      assertThat(line.getLong("queue_depth")).isEqualTo(3);
    }
    // LOG_FORMAT=text prints the formatted message: the same facts as key=value
    String text = events.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("job archived") && m.contains("msg_id=" + id + " ")).findFirst().orElseThrow();
    assertThat(text).contains("service=worker", "queue=" + queue, "read_ct=1", "symbol=BTC/USDT", "timeframe=1h", "job_ms=", "queue_depth=3");
  }
}
