package ai.zmarty.router;

import ai.zmarty.market.Pair;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Each user's watched pairs, kept between that user's chats ({@link KeptReads}) so a chat does not
 * wait for database A before its prompt. A user's list is forgotten when {@code
 * events.watchlist.changed} names them ({@link #forget}), at the latest {@link #TTL} after it was
 * read, and when more than {@link #MAX_USERS} users are kept (the one whose list was used longest ago
 * goes first). The list handed out cannot be changed by its readers.
 */
final class WatchedPairs {
  /** How long a user's list is used without a change event. */
  static final Duration TTL = PairFacts.TTL;
  /** Lists kept at most (each a few pairs: well under a megabyte in all). */
  static final int MAX_USERS = 10_000;

  private final KeptReads<UUID, List<Pair>> kept;

  WatchedPairs(Function<UUID, Future<List<Pair>>> read, LongSupplier nanoClock) {
    this.kept = new KeptReads<>(users -> read.apply(users.getFirst()).map(pairs -> Map.of(users.getFirst(), List.copyOf(pairs))), TTL, MAX_USERS, nanoClock);
  }

  Future<List<Pair>> of(UUID user) {
    return kept.of(List.of(user)).getFirst();
  }

  /** The user's pairs changed: their next chat reads them again. */
  void forget(UUID user) {
    kept.forget(user);
  }

  int size() {
    return kept.size();
  }
}
