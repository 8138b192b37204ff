package ai.zmarty.lens;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Who a source key belongs to: the name of the active {@code lens.sources} row whose
 * {@code key_hash} is the key's SHA-256, compared in constant time. (The publish side's copy of
 * the intake's class with the same name and signature, until that lands.)
 */
public final class SourceKeys {
  private final Pool pool;

  public SourceKeys(Pool pool) {
    this.pool = pool;
  }

  /** The source name of an active key; empty for an unknown, revoked or blank key. */
  public Future<Optional<String>> authenticate(String key) {
    if (key == null || key.isBlank() || key.length() > 256) {
      return Future.succeededFuture(Optional.empty());
    }
    byte[] hash = sha256(key);
    return pool.preparedQuery(PublishSql.SOURCE_BY_KEY_HASH).execute(Tuple.of(Buffer.buffer(hash))).map(rows -> {
      for (Row row : rows) {
        if (MessageDigest.isEqual(hash, row.getBuffer("key_hash").getBytes())) {
          return Optional.of(row.getString("name"));
        }
      }
      return Optional.empty();
    });
  }

  static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
