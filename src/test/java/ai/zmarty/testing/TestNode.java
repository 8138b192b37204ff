package ai.zmarty.testing;

import ai.zmarty.Wiring;
import ai.zmarty.metrics.Metrics;
import ai.zmarty.config.PgUrl;
import ai.zmarty.config.ZmartyConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node started in the test's JVM the way {@code run} starts one ({@link Wiring#deploy}) on the
 * test databases, and the clients of its HTTP API. It lives on the test's own Vert.x instance
 * (VertxExtension's), so it stops when that instance is closed after the test.
 */
public final class TestNode {
  /** How long a node may take to deploy (migrations are already applied; a loaded CI box is slow). */
  private static final long DEPLOY_SECONDS = 60;

  private final Vertx vertx;
  private final Wiring wiring;
  private final int port;
  private WebClient client;
  private ChatApi chat;

  private TestNode(Vertx vertx, Wiring wiring) {
    this.vertx = vertx;
    this.wiring = wiring;
    this.port = wiring.httpPort().orElse(-1);
  }

  /** An API node ({@code ROLES=api} unless {@code env} says otherwise) on {@code dbs}, with {@code env} on top. */
  public static TestNode api(Vertx vertx, TestDatabases.Pair dbs, Map<String, String> env) throws Exception {
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("ROLES", "api");
    return start(vertx, dbs.config(all), dbs.chat(), dbs.trading());
  }

  /** A node with every role ({@code ROLES} unset) on {@code dbs}, with {@code env} on top. */
  public static TestNode all(Vertx vertx, TestDatabases.Pair dbs, Map<String, String> env) throws Exception {
    return start(vertx, dbs.config(env), dbs.chat(), dbs.trading());
  }

  /** A node on exactly this configuration and these databases (e.g. a database A that does not answer). */
  public static TestNode start(Vertx vertx, ZmartyConfig config, PgUrl chat, PgUrl trading) throws Exception {
    return new TestNode(vertx, Wiring.deploy(vertx, config, chat, trading).await(DEPLOY_SECONDS, TimeUnit.SECONDS));
  }

  /** A node reporting into {@code metrics}, whose Vert.x was built by {@link Metrics#vertxBuilder} (as {@code Node.start} does). */
  public static TestNode start(Vertx vertx, ZmartyConfig config, Metrics metrics, PgUrl chat, PgUrl trading) throws Exception {
    return new TestNode(vertx, Wiring.deploy(vertx, config, metrics, chat, trading).await(DEPLOY_SECONDS, TimeUnit.SECONDS));
  }

  /** The HTTP API's port; fails when the node runs no API. */
  public int port() {
    if (port < 0) {
      throw new IllegalStateException("this node runs no HTTP API (ROLES without api)");
    }
    return port;
  }

  /** A client of the node (one per node, created on first use). */
  public WebClient client() {
    if (client == null) {
      client = WebClient.create(vertx);
    }
    return client;
  }

  /** A chat client of the node, with a connection pool wide enough for load tests. */
  public ChatApi chat() {
    if (chat == null) {
      chat = new ChatApi(vertx, port());
    }
    return chat;
  }

  public Wiring wiring() {
    return wiring;
  }
}
