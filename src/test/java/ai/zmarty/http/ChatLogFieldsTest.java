package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.ChatApi;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sse;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.Users;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The JSON log line of a real chat, written by the production encoder, carries each field as its own JSON value. */
@ExtendWith(VertxExtension.class)
class ChatLogFieldsTest {
  private static TestDatabases.Pair dbs;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private OutputStreamAppender<ILoggingEvent> appender;
  private final ch.qos.logback.core.read.ListAppender<ILoggingEvent> events = new ch.qos.logback.core.read.ListAppender<>();
  private Logger router;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void captureJson() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.start();
    appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    router = context.getLogger("ai.zmarty.router.AnswerStream");
    router.addAppender(appender);
    events.setContext(context);
    events.start();
    router.addAppender(events);
  }

  @AfterEach
  void release() {
    router.detachAppender(appender);
    router.detachAppender(events);
    appender.stop();
  }

  private List<JsonObject> lines() {
    synchronized (out) {
      return Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> !l.isBlank()).map(JsonObject::new).toList();
    }
  }

  @Test
  void theChatAnsweredLineCarriesEveryFieldAsJson(Vertx vertx) throws Exception {
    ChatApi api = ChatApi.deploy(vertx, dbs, "1ms");
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    Sse.Event done = Sse.parse(api.chat(user, "What's the signal for BTC?", true).await(30, TimeUnit.SECONDS).bodyAsString()).getLast();
    String requestId = done.data().getString("request_id");

    Eventually.await(Duration.ofSeconds(5), "the chat's log line", () -> lines().stream().anyMatch(l -> requestId.equals(l.getValue("request_id"))));
    JsonObject line = lines().stream().filter(l -> requestId.equals(l.getValue("request_id"))).findFirst().orElseThrow();

    assertThat(line.getString("message")).startsWith("chat answered");
    assertThat(line.getValue("service")).isEqualTo("api");
    assertThat(line.getValue("endpoint")).isEqualTo("/chat");
    assertThat(line.getValue("user_id")).isEqualTo(user.toString());
    assertThat(line.getValue("provider")).isEqualTo("offline");
    assertThat(line.getValue("latency_ms")).isInstanceOf(Number.class);
    assertThat(line.getDouble("latency_ms")).isPositive();
    assertThat(line.getValue("tokens")).isInstanceOf(JsonObject.class);
    JsonObject tokens = line.getJsonObject("tokens");
    assertThat(tokens.getValue("input")).isInstanceOf(Number.class);
    assertThat(tokens.getLong("input")).isEqualTo(done.data().getJsonObject("usage").getLong("input_tokens"));
    assertThat(tokens.getLong("output")).isEqualTo(done.data().getJsonObject("usage").getLong("output_tokens"));
    assertThat(line.getValue("credits_charged")).isInstanceOf(Number.class);
    assertThat(line.getLong("credits_charged")).isEqualTo(done.data().getLong("credits_charged"));

    // LOG_FORMAT=text prints the formatted message: the same facts as key=value
    String text = events.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("request_id=" + requestId)).findFirst().orElseThrow();
    assertThat(text).startsWith("chat answered").contains("service=api", "endpoint=/chat", "user_id=" + user, "provider=offline", "latency_ms=",
        "tokens={input=" + tokens.getLong("input") + ", output=" + tokens.getLong("output") + "}", "credits_charged=" + done.data().getLong("credits_charged"));
  }
}
