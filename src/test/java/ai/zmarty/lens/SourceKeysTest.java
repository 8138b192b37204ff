package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.db.Pools;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SourceKeysTest {
  private static Vertx vertx;
  private static TestDatabases.Pair dbs;
  private static SourceKeys keys;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    dbs = TestDatabases.migrated();
    Pool pool = Pools.create(vertx, dbs.trading(), 2, "keys-test");
    keys = new SourceKeys(pool);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void aNewKeyIsRandomPrefixedAndStoredOnlyAsItsHash() throws Exception {
    SourceKeys.Issued a = keys.add("alpha").await(10, TimeUnit.SECONDS);
    assertThat(a.key()).startsWith("zks_").hasSize(4 + 43).matches("zks_[A-Za-z0-9_-]{43}");
    assertThat(keys.add("beta").await(10, TimeUnit.SECONDS).key()).isNotEqualTo(a.key());
    String stored = Sql.one(dbs.trading(), "select encode(key_hash, 'hex') from lens.sources where name = 'alpha'");
    assertThat(stored).isEqualTo(HexFormat.of().formatHex(SourceKeys.hash(a.key())));
    assertThat(Sql.count(dbs.trading(), "select count(*) from lens.sources where key_prefix = '" + a.key().substring(0, 8) + "'")).isEqualTo(1);
    assertThat(keys.authenticate(a.key()).await(10, TimeUnit.SECONDS)).contains("alpha");
  }

  @Test
  void unknownMalformedAndRevokedKeysAuthenticateNobody() throws Exception {
    SourceKeys.Issued g = keys.add("gamma").await(10, TimeUnit.SECONDS);
    assertThat(keys.authenticate(null).await(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(keys.authenticate("").await(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(keys.authenticate(g.key() + "x").await(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(keys.authenticate("zks_" + "A".repeat(500)).await(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(keys.revoke("gamma").await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(keys.revoke("gamma").await(10, TimeUnit.SECONDS)).as("already revoked").isFalse();
    assertThat(keys.revoke("nobody").await(10, TimeUnit.SECONDS)).isFalse();
    assertThat(keys.authenticate(g.key()).await(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(keys.list().await(10, TimeUnit.SECONDS)).filteredOn(s -> s.name().equals("gamma")).singleElement().satisfies(s -> assertThat(s.active()).isFalse());
  }

  @Test
  void namesAreCheckedAndNeverTakenTwice() throws Exception {
    keys.add("delta").await(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> keys.add("delta").await(10, TimeUnit.SECONDS)).hasMessageContaining("already exists");
    assertThatThrownBy(() -> keys.add("Bad Name").await(10, TimeUnit.SECONDS)).hasMessageContaining("lower-case letters");
  }

  @Test
  void rotatingReplacesTheKeyAndRevivesARevokedSource() throws Exception {
    SourceKeys.Issued first = keys.rotate("demo").await(10, TimeUnit.SECONDS);
    keys.revoke("demo").await(10, TimeUnit.SECONDS);
    SourceKeys.Issued second = keys.rotate("demo").await(10, TimeUnit.SECONDS);
    assertThat(keys.authenticate(first.key()).await(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(keys.authenticate(second.key()).await(10, TimeUnit.SECONDS)).isEqualTo(Optional.of("demo"));
  }
}
