package ai.zmarty.router;

import ai.zmarty.market.Pair;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Each user's watched pairs, kept between that user's chats so a chat does not wait for database A
 * before its prompt. A user's list is forgotten when {@code events.watchlist.changed} names them
 * ({@link #forget}), at the latest {@link #TTL} after it was read, and when more than {@link
 * #MAX_USERS} users are kept (the one whose list was used longest ago goes first). A read of one
 * user's list is shared by their chats while it runs; a failed read is not kept. Used on one context
 * (the router's) only.
 */
final class WatchedPairs {
  /** How long a user's list is used without a change event. */
  static final Duration TTL = PairFacts.TTL;
  /** Lists kept at most (each a few pairs: well under a megabyte in all). */
  static final int MAX_USERS = 10_000;

  private record Kept(Future<List<Pair>> pairs, long readAt) {}

  private final Function<UUID, Future<List<Pair>>> read;
  private final LongSupplier nanoClock;
  private final Map<UUID, Kept> entries = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<UUID, Kept> eldest) {
      return size() > MAX_USERS;
    }
  };

  WatchedPairs(Function<UUID, Future<List<Pair>>> read, LongSupplier nanoClock) {
    this.read = read;
    this.nanoClock = nanoClock;
  }

  Future<List<Pair>> of(UUID user) {
    long now = nanoClock.getAsLong();
    Kept e = entries.get(user);
    if (e == null || now - e.readAt() > TTL.toNanos() || e.pairs().failed()) {
      Kept fresh = new Kept(read.apply(user).map(List::copyOf), now);
      entries.put(user, fresh);
      fresh.pairs().onFailure(err -> entries.remove(user, fresh));
      return fresh.pairs();
    }
    return e.pairs();
  }

  /** The user's pairs changed: their next chat reads them again. */
  void forget(UUID user) {
    entries.remove(user);
  }

  int size() {
    return entries.size();
  }
}
