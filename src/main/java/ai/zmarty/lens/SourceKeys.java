package ai.zmarty.lens;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API keys of outside signal sources. A key is 32 random bytes, url-safe base64 behind the
 * readable prefix {@value #PREFIX}; it is shown once when made and only its SHA-256 is kept in
 * {@code lens.sources.key_hash}, looked up by that hash and compared in constant time.
 */
public final class SourceKeys {
  public static final String PREFIX = "zks_";
  /** A source's name, as {@code lens.sources} checks it. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
  /** Longer than any key this class makes: a longer header is not worth hashing. */
  private static final int MAX_KEY_CHARS = 128;
  private static final int KEY_BYTES = 32;

  private final Pool pool;
  private final SecureRandom random = new SecureRandom();

  public SourceKeys(Pool pool) {
    this.pool = pool;
  }

  /** A source and its new key (shown once). */
  public record Issued(String name, String key) {}

  /** A source as {@code source list} shows it: never the key, only its first characters. */
  public record Source(String name, String keyPrefix, OffsetDateTime createdAt, Optional<OffsetDateTime> revokedAt) {
    public boolean active() {
      return revokedAt.isEmpty();
    }
  }

  /** The name of the active source whose key this is; empty for a missing, unknown or revoked key. */
  public Future<Optional<String>> authenticate(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_CHARS) {
      return Future.succeededFuture(Optional.empty());
    }
    byte[] hash = hash(key);
    return pool.preparedQuery(IntakeSql.SOURCE_BY_HASH).execute(Tuple.of(Buffer.buffer(hash))).map(rows -> {
      for (Row r : rows) {
        if (MessageDigest.isEqual(r.getBuffer("key_hash").getBytes(), hash) && r.getValue("revoked_at") == null) {
          return Optional.of(r.getString("name"));
        }
      }
      return Optional.<String>empty();
    });
  }

  /** Creates a source with a new key; fails with {@link IllegalArgumentException} for a bad or taken name. */
  public Future<Issued> add(String name) {
    Optional<String> bad = nameProblem(name);
    if (bad.isPresent()) {
      return Future.failedFuture(new IllegalArgumentException(bad.get()));
    }
    String key = newKey();
    return pool.preparedQuery(IntakeSql.SOURCE_ADD).execute(keyRow(name, key)).compose(rows -> rows.size() == 1
        ? Future.succeededFuture(new Issued(name, key))
        : Future.failedFuture(new IllegalArgumentException("source '" + name + "' already exists (revoke it, or pick another name)")));
  }

  /** A new key for {@code name}, creating the source or reviving a revoked one; the old key stops working. */
  public Future<Issued> rotate(String name) {
    Optional<String> bad = nameProblem(name);
    if (bad.isPresent()) {
      return Future.failedFuture(new IllegalArgumentException(bad.get()));
    }
    String key = newKey();
    return pool.preparedQuery(IntakeSql.SOURCE_ROTATE).execute(keyRow(name, key)).map(rows -> new Issued(name, key));
  }

  /** True when revoked now; false when there is no such active source. */
  public Future<Boolean> revoke(String name) {
    return pool.preparedQuery(IntakeSql.SOURCE_REVOKE).execute(Tuple.of(name)).map(rows -> rows.size() == 1);
  }

  public Future<List<Source>> list() {
    return pool.query(IntakeSql.SOURCE_LIST).execute().map(rows -> {
      List<Source> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Source(r.getString("name"), r.getString("key_prefix"), r.getOffsetDateTime("created_at"), Optional.ofNullable(r.getOffsetDateTime("revoked_at"))));
      }
      return out;
    });
  }

  private static Tuple keyRow(String name, String key) {
    return Tuple.of(name, Buffer.buffer(hash(key)), key.substring(0, PREFIX.length() + 4));
  }

  static Optional<String> nameProblem(String name) {
    return name != null && NAME.matcher(name).matches()
        ? Optional.empty()
        : Optional.of("a source name is 1 to 63 lower-case letters, digits, _ or -, starting with a letter or digit; got '" + name + "'");
  }

  String newKey() {
    byte[] bytes = new byte[KEY_BYTES];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
