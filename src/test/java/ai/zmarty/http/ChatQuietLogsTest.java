package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.ChatApi;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.Users;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** Issue 9 finding 8 on the chat path: client disconnects and ordinary 4xx are logged at INFO/WARN, without stack traces. */
@ExtendWith(VertxExtension.class)
class ChatQuietLogsTest {
  private static TestDatabases.Pair dbs;
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Logger root;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void capture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    events.setContext(context);
    events.start();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(events);
  }

  @AfterEach
  void release() {
    root.detachAppender(events);
  }

  private List<ILoggingEvent> noisy() {
    synchronized (events) {
      return events.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null).toList();
    }
  }

  @Test
  void aMissingSessionIsA404LoggedWithoutErrorOrStackTrace(Vertx vertx) throws Exception {
    ChatApi api = ChatApi.deploy(vertx, dbs, "1ms");
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    HttpResponse<Buffer> r = api.client().get(api.port(), "127.0.0.1", "/chat/sessions/" + UUID.randomUUID()).putHeader("Authorization", "Bearer " + TestJwt.valid(user))
        .send().await(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    HttpResponse<Buffer> unknownSession = api.client().post(api.port(), "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user))
        .sendJsonObject(new JsonObject().put("message", "hi").put("session_id", UUID.randomUUID().toString())).await(10, TimeUnit.SECONDS);
    assertThat(unknownSession.statusCode()).isEqualTo(404);
    assertThat(noisy()).isEmpty();
  }

  @Test
  void aClientLeavingMidStreamIsChargedForWhatWasProducedKeepsThatTurnAndLogsNoError(Vertx vertx) throws Exception {
    ChatApi api = ChatApi.deploy(vertx, dbs, "100ms");
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    HttpClient http = vertx.createHttpClient();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(api.port()).setURI("/chat")
        .putHeader("Authorization", "Bearer " + TestJwt.valid(user)).putHeader("Accept", "text/event-stream").putHeader("content-type", "application/json");
    Promise<String> requestId = Promise.promise();
    http.request(options).compose(req -> req.send(new JsonObject().put("message", "What's the signal for BTC?").encode())).onSuccess((HttpClientResponse resp) -> {
      resp.handler(chunk -> {
        if (chunk.toString().contains("event: token") && requestId.tryComplete(resp.getHeader("x-request-id"))) {
          resp.request().connection().close(); // the user closes the tab mid-answer
        }
      });
    }).onFailure(requestId::tryFail);
    String id = requestId.future().await(30, TimeUnit.SECONDS);

    Eventually.await(Duration.ofSeconds(15), "the produced part charged and its turn kept",
        () -> Sql.count(dbs.chat(), "select count(*) from credits_ledger where request_id = '" + id + "'") == 1
            && Sql.count(dbs.chat(), "select count(*) from chat_messages where request_id = '" + id + "'") == 2);
    assertThat(Sql.count(dbs.chat(), "select count(*) from credit_holds where user_id = '" + user + "'")).isZero();
    long charged = -Long.parseLong(Sql.one(dbs.chat(), "select delta from credits_ledger where request_id = '" + id + "'"));
    assertThat(Users.balance(dbs.chat(), user)).isEqualTo(1000 - charged);
    assertThat(noisy()).isEmpty();
    assertThat(events.list).anyMatch(e -> e.getLevel() == Level.INFO && e.getFormattedMessage().startsWith("chat interrupted") && e.getFormattedMessage().contains("interruption=client_gone"));
  }
}
