package ai.zmarty.router;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Values read from a database and kept by key between chats: a key's value is read again once it is
 * {@linkplain #forget forgotten} (the event that changes it arrived), once it is older than the TTL,
 * and when more than the maximum are kept (the one used longest ago goes first). The keys missing at
 * one call are read together, and a read is shared by every call that needs its keys while it runs.
 * A key forgotten while its read runs is read again by the next call, so a read that started before
 * a change never stands for the value after it; a failed read is not kept. Used on one context only.
 */
final class KeptReads<K, V> {
  private record Kept<V>(Future<V> value, long readAt) {}

  private final Function<List<K>, Future<Map<K, V>>> read;
  private volatile long ttlNanos;
  private final LongSupplier nanoClock;
  private final Map<K, Kept<V>> kept;

  /** @param read reads the values of the keys given, in one round trip; a key it leaves out has no value (null) */
  KeptReads(Function<List<K>, Future<Map<K, V>>> read, Duration ttl, int maxKept, LongSupplier nanoClock) {
    this.read = read;
    this.ttlNanos = ttl.toNanos();
    this.nanoClock = nanoClock;
    this.kept = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Kept<V>> eldest) {
        return size() > maxKept;
      }
    };
  }

  /** The values of {@code keys}, in their order; only the keys not kept (or kept too long) are read. */
  List<Future<V>> of(List<K> keys) {
    long now = nanoClock.getAsLong();
    Map<K, Future<V>> values = new LinkedHashMap<>();
    List<K> missing = new ArrayList<>();
    for (K k : keys) {
      Kept<V> e = kept.get(k);
      if (e == null || now - e.readAt() > ttlNanos) {
        missing.add(k);
      } else {
        values.put(k, e.value());
      }
    }
    if (!missing.isEmpty()) {
      Future<Map<K, V>> shared = read.apply(missing);
      for (K k : missing) {
        Kept<V> e = new Kept<>(shared.map(all -> all.get(k)), now);
        values.put(k, e.value());
        kept.put(k, e);
        e.value().onFailure(err -> kept.remove(k, e));
      }
    }
    List<Future<V>> inOrder = new ArrayList<>(keys.size());
    keys.forEach(k -> inOrder.add(values.get(k)));
    return inOrder;
  }

  /** From now on a value is read again once it is older than {@code ttl} (the values kept included). */
  void ttl(Duration ttl) {
    ttlNanos = ttl.toNanos();
  }

  void forget(K key) {
    kept.remove(key);
  }

  void forgetAll() {
    kept.clear();
  }

  int size() {
    return kept.size();
  }
}
