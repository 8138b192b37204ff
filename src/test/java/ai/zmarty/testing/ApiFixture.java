package ai.zmarty.testing;

import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a test class ({@code @RegisterExtension static final ApiFixture fixture = new ApiFixture();}):
 * its own Vert.x, a migrated pair of databases and an API node on them, closed after the class.
 */
public final class ApiFixture implements BeforeAllCallback, AfterAllCallback {
  private Vertx vertx;
  private TestDatabases.Pair dbs;
  private TestNode api;
  private final Map<String, String> env;

  public ApiFixture() {
    this(Map.of());
  }

  /** An API node with {@code env} on top of the test configuration. */
  public ApiFixture(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    vertx = Vertx.vertx();
    dbs = TestDatabases.migrated();
    api = TestNode.api(vertx, dbs, env);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    vertx.close().await();
  }

  public Vertx vertx() {
    return vertx;
  }

  public TestDatabases.Pair dbs() {
    return dbs;
  }

  public TestNode api() {
    return api;
  }
}
