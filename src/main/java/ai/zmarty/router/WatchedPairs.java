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
 * wait for database A before its prompt. A user's list is forgotten when a change to it is heard
 * ({@link #forget}: database A's {@code watchlist_changed} notification, sent for every writer, or
 * {@code events.watchlist.changed}), and when more than {@link #MAX_USERS} users are kept (the one
 * whose list was used longest ago goes first). How long a list is used at most depends on whether
 * changes are heard: {@link #TTL_HEARD} while the node LISTENs ({@link #hearing}), {@link #TTL} while
 * it does not (before its LISTEN, after it was lost), when a change made past the API would go
 * unnoticed. The list handed out cannot be changed by its readers.
 */
final class WatchedPairs {
  /** How long a user's list is used while changes made past the API are not heard. */
  static final Duration TTL = PairFacts.TTL;
  /** How long while every change is heard: a bound for a notification lost in a way not noticed. */
  static final Duration TTL_HEARD = Duration.ofMinutes(10);
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

  /**
   * Changes are heard from now on ({@code true}: every list kept is forgotten, as changes made
   * while they were not heard are unknown), or no longer ({@code false}).
   */
  void hearing(boolean heard) {
    if (heard) {
      kept.forgetAll();
    }
    kept.ttl(heard ? TTL_HEARD : TTL);
  }

  int size() {
    return kept.size();
  }
}
