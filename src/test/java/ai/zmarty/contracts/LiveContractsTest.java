package ai.zmarty.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sse;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contracts describe what the program really sends: a node with every role serves a user's
 * story (watch a pair, the workers ingest and compute signals, estimate, chat as JSON and as SSE,
 * read the session, credits, signals, win rates, liquidations, an error, the admin routes) while
 * every event-bus message and reply it sends is checked against its contract (by address, and a
 * reply by the address of its request), and every HTTP answer against the schema docs/openapi.yaml
 * names for it.
 */
@ExtendWith(VertxExtension.class)
class LiveContractsTest {
  private final Contracts contracts = Contracts.directory(Path.of("docs/contracts"));
  private final ConcurrentLinkedQueue<String> broken = new ConcurrentLinkedQueue<>();
  private final Set<String> checked = ConcurrentHashMap.newKeySet();
  /** reply address → the address of the request it answers */
  private final Map<String, String> requests = new ConcurrentHashMap<>();

  private static final Map<String, String> REQUESTS = Map.ofEntries(
      Map.entry("credit.reserve", "bus.credit.reserve.request"), Map.entry("credit.settle", "bus.credit.settle.request"), Map.entry("credit.release", "bus.credit.release.request"),
      Map.entry("credit.refund", "bus.credit.refund.request"), Map.entry("credit.estimate", "bus.credit.estimate.request"), Map.entry("credit.grant", "bus.credit.grant.request"),
      Map.entry("credit.statement", "bus.credit.statement.request"), Map.entry("model.chat", "bus.model.chat.request"), Map.entry("model.estimate", "bus.model.estimate.request"),
      Map.entry("voice.speak", "bus.voice.speak.request"), Map.entry("ops.cron.run", "bus.ops.cron.run.request"), Map.entry("ops.nightly.run", "bus.ops.nightly.run.request"),
      Map.entry("events.signal.created", "event.signal.created"), Map.entry("events.lens.decision", "event.lens.decision"),
      Map.entry("events.winrate.updated", "event.winrate.updated"), Map.entry("events.watchlist.changed", "event.watchlist.changed"));
  private static final Map<String, String> REPLIES = Map.ofEntries(
      Map.entry("credit.reserve", "bus.credit.reserve.reply"), Map.entry("credit.settle", "bus.credit.settle.reply"), Map.entry("credit.refund", "bus.credit.refund.reply"),
      Map.entry("credit.estimate", "bus.credit.estimate.reply"), Map.entry("credit.grant", "bus.credit.grant.reply"), Map.entry("credit.statement", "bus.credit.statement.reply"),
      Map.entry("model.chat", "bus.model.chat.reply"), Map.entry("model.estimate", "bus.credit.estimate.reply"), Map.entry("voice.speak", "bus.voice.speak.reply"),
      Map.entry("ops.health", "bus.ops.health.reply"), Map.entry("ops.cron.list", "bus.ops.cron.list.reply"), Map.entry("ops.cron.run", "bus.ops.cron.run.reply"),
      Map.entry("ops.nightly.run", "bus.ops.nightly.run.reply"));

  private void intercept(DeliveryContext<Object> ctx) {
    String address = ctx.message().address();
    Object body = ctx.body();
    if (ctx.message().replyAddress() != null) {
      requests.put(ctx.message().replyAddress(), address);
    }
    String contract;
    if (address.startsWith("jobs.")) {
      contract = "bus.job";
      if (body instanceof JsonObject job && job.getValue("payload") instanceof JsonObject payload) {
        check("queue." + address.substring(5), payload, address + " payload");
      }
    } else if (address.startsWith("model.stream.")) {
      contract = "bus.model.stream.event";
    } else if (requests.containsKey(address)) {
      contract = REPLIES.get(requests.remove(address));
    } else {
      contract = REQUESTS.get(address);
    }
    if (contract != null && (body instanceof JsonObject || body instanceof String)) {
      check(contract, body, address);
    }
    ctx.next();
  }

  private void check(String contract, Object body, String where) {
    checked.add(contract);
    List<FieldProblem> problems = contracts.schema(contract).check(body);
    if (!problems.isEmpty()) {
      broken.add(where + " breaks " + contract + ": " + problems + " in " + body);
    }
  }

  private HttpResponse<Buffer> http(HttpRequest<Buffer> request, String token, JsonObject body, int status, String contract) throws Exception {
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    HttpResponse<Buffer> r = (body == null ? request.send() : request.sendJsonObject(body)).await(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(request.method() + " " + request.uri() + ": " + r.bodyAsString()).isEqualTo(status);
    if (contract != null) {
      check(contract, r.bodyAsJsonObject(), request.method() + " " + request.uri());
    }
    return r;
  }

  @Test
  void whatTheNodeSendsKeepsTheContracts(Vertx vertx) throws Exception {
    vertx.eventBus().addOutboundInterceptor(this::intercept);
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.all(vertx, dbs, Map.of("OFFLINE_PACE", "0ms", "QUEUE_IDLE_POLL", "100ms", "SYNC_POLL", "200ms"));
    var client = node.client();
    int port = node.port();
    UUID user = Users.create(dbs.chat(), "pro", 1000);
    String token = TestJwt.valid(user);
    String admin = TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(UUID.randomUUID()).put("role", "service_role"));

    client.get(port, "127.0.0.1", "/healthz").send().await(30, TimeUnit.SECONDS);
    check("http.healthz.response", client.get(port, "127.0.0.1", "/healthz").send().await(30, TimeUnit.SECONDS).bodyAsJsonObject(), "GET /healthz");
    http(client.post(port, "127.0.0.1", "/symbols"), token, new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "1h"), 201, "http.symbols.change.response");
    http(client.get(port, "127.0.0.1", "/symbols"), token, null, 200, "http.symbols.list.response");
    Eventually.await(Duration.ofSeconds(90), "signals for BTC/USDT", () -> {
      try {
        return !http(client.get(port, "127.0.0.1", "/signals"), token, null, 200, "http.signals.response").bodyAsJsonObject().getJsonArray("signals").isEmpty();
      } catch (Exception e) {
        return false;
      }
    });
    http(client.post(port, "127.0.0.1", "/chat/estimate"), token, new JsonObject().put("message", "What's the signal for BTC?"), 200, "bus.credit.estimate.reply");
    JsonObject answer = http(client.post(port, "127.0.0.1", "/chat"), token, new JsonObject().put("message", "What's the signal for BTC?"), 200, "http.chat.response").bodyAsJsonObject();
    HttpResponse<Buffer> sse = client.post(port, "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + token).putHeader("Accept", "text/event-stream")
        .sendJsonObject(new JsonObject().put("message", "And ETH?").put("session_id", answer.getString("session_id"))).await(30, TimeUnit.SECONDS);
    List<Sse.Event> events = Sse.parse(sse.bodyAsString());
    assertThat(events).extracting(Sse.Event::name).contains("token", "done");
    events.forEach(e -> check("http.chat.sse." + e.name(), e.data(), "SSE " + e.name()));
    http(client.get(port, "127.0.0.1", "/chat/sessions/" + answer.getString("session_id")), token, null, 200, "http.chat.session.response");
    http(client.get(port, "127.0.0.1", "/chat/sessions"), token, null, 200, "http.chat.sessions.response");
    http(client.get(port, "127.0.0.1", "/candles?symbol=BTC/USDT&timeframe=1h&limit=5"), token, null, 200, "http.candles.response");
    http(client.get(port, "127.0.0.1", "/credits"), token, null, 200, "bus.credit.statement.reply");
    http(client.get(port, "127.0.0.1", "/win-rates"), token, null, 200, "http.win-rates.response");
    http(client.get(port, "127.0.0.1", "/liquidations?symbol=BTC/USDT"), token, null, 200, "http.liquidations.response");
    http(client.get(port, "127.0.0.1", "/nope"), token, null, 404, "common.error");
    http(client.post(port, "127.0.0.1", "/admin/credits"), admin, new JsonObject().put("user_id", user.toString()).put("amount", 5).put("reason", "contract test"), 201, "bus.credit.grant.reply");
    http(client.get(port, "127.0.0.1", "/admin/health"), admin, null, 200, "bus.ops.health.reply");
    http(client.get(port, "127.0.0.1", "/admin/cron"), admin, null, 200, "bus.ops.cron.list.reply");
    http(client.post(port, "127.0.0.1", "/admin/cron/compute_winrate/run"), admin, null, 200, "bus.ops.cron.run.reply");

    assertThat(broken).as("%d messages break their contracts; the first: %s", broken.size(), broken.stream().limit(3).toList()).isEmpty();
    assertThat(checked).contains("bus.job", "queue.ingest_indicators", "queue.compute_signals", "event.signal.created", "bus.credit.reserve.request", "bus.credit.reserve.reply",
        "bus.credit.settle.request", "bus.credit.settle.reply", "bus.model.chat.request", "bus.model.chat.reply", "bus.model.stream.event", "bus.ops.health.reply", "bus.ops.cron.list.reply",
        "http.chat.sse.token", "http.chat.sse.done", "event.watchlist.changed");
  }
}
