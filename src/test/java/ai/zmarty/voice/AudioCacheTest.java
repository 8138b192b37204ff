package ai.zmarty.voice;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.db.Pools;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Both audio stores keep, serve and bound spoken answers alike; the database one is shared by every node. */
@ExtendWith(VertxExtension.class)
class AudioCacheTest {
  @TempDir Path dataDir;

  private static Buffer bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return Buffer.buffer(b);
  }

  private static boolean kept(AudioCache cache, String hash) {
    try {
      return cache.contains(hash).await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  private static void keepsServesAndTrimsOldestFirst(AudioCache cache, Runnable olderFirst) throws Exception {
    String a = AudioStore.hash("v", "m", "a");
    String b = AudioStore.hash("v", "m", "b");
    String c = AudioStore.hash("v", "m", "c");
    assertThat(cache.contains(a).await(10, TimeUnit.SECONDS)).isFalse();
    assertThat(cache.get(a).await(10, TimeUnit.SECONDS)).isEmpty();
    cache.put(a, bytes(400_000, 1)).await(10, TimeUnit.SECONDS);
    olderFirst.run();
    cache.put(b, bytes(400_000, 2)).await(10, TimeUnit.SECONDS);
    assertThat(cache.contains(a).await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(cache.get(b).await(10, TimeUnit.SECONDS)).contains(bytes(400_000, 2));
    olderFirst.run();
    // 1 MB cap: the third 400 kB answer pushes the oldest out
    cache.put(c, bytes(400_000, 3)).await(10, TimeUnit.SECONDS);
    Eventually.await(Duration.ofSeconds(10), "the oldest answer trimmed", () -> !kept(cache, a));
    assertThat(cache.contains(b).await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(cache.get(c).await(10, TimeUnit.SECONDS)).contains(bytes(400_000, 3));
    // the same answer again keeps one copy
    cache.put(c, bytes(400_000, 3)).await(10, TimeUnit.SECONDS);
    assertThat(cache.get(c).await(10, TimeUnit.SECONDS)).contains(bytes(400_000, 3));
  }

  @Test
  void theDatabaseStoreKeepsServesAndTrimsOldestFirst(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Pool chat = Pools.create(vertx, dbs.chat(), 2, "audio-test");
    keepsServesAndTrimsOldestFirst(new DatabaseAudioCache(chat, 1024 * 1024), () -> Sql.exec(dbs.chat(), "update audio_cache set created_at = created_at - interval '1 minute'"));
    assertThat(Sql.count(dbs.chat(), "select count(*) from audio_cache")).isEqualTo(2);
    // another node's pool sees the same answers
    Pool other = Pools.create(vertx, dbs.chat(), 2, "audio-test-2");
    assertThat(new DatabaseAudioCache(other, 1024 * 1024).get(AudioStore.hash("v", "m", "c")).await(10, TimeUnit.SECONDS)).contains(bytes(400_000, 3));
  }

  @Test
  void theFileStoreKeepsServesAndTrimsOldestFirst(Vertx vertx) throws Exception {
    AudioStore store = new AudioStore(dataDir);
    keepsServesAndTrimsOldestFirst(new FileAudioCache(vertx, store, 1024 * 1024), () -> {
      try (var files = java.nio.file.Files.list(store.dir())) {
        for (Path f : files.toList()) {
          java.nio.file.Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(java.nio.file.Files.getLastModifiedTime(f).toMillis() - 60_000));
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }
}
