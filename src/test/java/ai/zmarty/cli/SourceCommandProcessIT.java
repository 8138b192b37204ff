package ai.zmarty.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.ApiFixture;
import ai.zmarty.testing.NodeProcess;
import ai.zmarty.testing.Sql;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code zmarty source add|list|revoke} run from the jar against database B, and the key it prints used on a running API. */
class SourceCommandProcessIT {
  @RegisterExtension static final ApiFixture fixture = new ApiFixture();

  record Ran(int code, String output) {}

  private static Ran run(String... args) throws Exception {
    try (NodeProcess p = new NodeProcess("source", fixture.dbs().env(), args)) {
      p.start();
      int code = p.awaitExit(Duration.ofSeconds(90));
      return new Ran(code, p.output());
    }
  }

  private static int post(String key) throws Exception {
    JsonObject body = new JsonObject().put("event_type", "OPEN_SIGNAL").put("symbol", "BTC/USDT").put("signal_direction", "long").put("entry_price", 97000)
        .put("ts_utc", Instant.now().toString()).put("source", "feed-1");
    return fixture.api().client().post(fixture.api().port(), "127.0.0.1", "/api/v1/signals").putHeader("X-API-Key", key).sendJsonObject(body)
        .await(15, TimeUnit.SECONDS).statusCode();
  }

  @Test
  void aSourceIsAddedWithAKeyShownOnceListedAndRevoked() throws Exception {
    Ran added = run("source", "add", "feed-1");
    assertThat(added.code()).as(added.output()).isZero();
    Matcher m = Pattern.compile("(?m)^  (zks_[A-Za-z0-9_-]{43})$").matcher(added.output());
    assertThat(m.find()).as(added.output()).isTrue();
    String key = m.group(1);
    assertThat(Sql.count(fixture.dbs().trading(), "select count(*) from lens.sources where name = 'feed-1' and key_hash = sha256('" + key + "'::bytea)")).isEqualTo(1);
    assertThat(post(key)).isEqualTo(202);

    Ran again = run("source", "add", "feed-1");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.output()).contains("already exists").doesNotContain("Exception");

    Ran listed = run("source", "list");
    assertThat(listed.code()).isZero();
    assertThat(listed.output()).containsPattern("(?m)^feed-1 +" + Pattern.quote(key.substring(0, 8)) + "… +\\S+ \\S+ +active$").doesNotContain(key);

    Ran revoked = run("source", "revoke", "feed-1");
    assertThat(revoked.code()).as(revoked.output()).isZero();
    assertThat(post(key)).isEqualTo(401);
    assertThat(Sql.count(fixture.dbs().trading(), "select count(*) from lens.sources where name = 'feed-1' and revoked_at is not null")).isEqualTo(1);
  }
}
