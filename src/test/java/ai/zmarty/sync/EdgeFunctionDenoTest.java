package ai.zmarty.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.NodeTools;
import ai.zmarty.testing.TestDatabases;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code watchers-upsert} edge function's own tests under {@code deno test} (Deno from npm),
 * with its database writes against a migrated database B of the test PostgreSQL: the shared
 * vectors that {@link WatchersUpsertVectorsTest} runs against the Java receiver, plus the pure
 * signature and payload tests.
 */
class EdgeFunctionDenoTest {
  private static final Path FUNCTION = Path.of("supabase/functions/watchers-upsert");

  @Test
  void denoTestPassesWithTheSharedVectorsAgainstTheTestDatabase() throws Exception {
    PgUrl b = TestDatabases.migrated().trading();
    String url = "postgres://" + b.user() + "@" + b.host() + ":" + b.port() + "/" + b.database();
    NodeTools.Run r = NodeTools.bin("deno", FUNCTION, Map.of("ZMARTY_TEST_TRADING_URL", url, "DENO_NO_UPDATE_CHECK", "1"), 300,
        "test", "--allow-env", "--allow-net", "--allow-read", "--no-prompt");
    assertThat(r.exit()).as(r.output()).isZero();
    // the vectors really ran (not ignored for want of a database) and nothing failed
    assertThat(r.output()).as(r.output()).contains("every shared vector gets the Java receiver's answer and leaves its rows ... ok")
        .contains(WatchersUpsertVectorsTest.vectors().getJsonArray("cases").size() + " vectors run")
        .containsPattern("ok \\| \\d+ passed \\| 0 failed").doesNotContain("ignored");
  }
}
