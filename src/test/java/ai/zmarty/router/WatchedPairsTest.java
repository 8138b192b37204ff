package ai.zmarty.router;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.market.Pair;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WatchedPairsTest {
  private static final Pair BTC = Pair.of("BTC/USDT", "1h");
  private static final Pair ETH = Pair.of("ETH/USDT", "4h");

  private final List<UUID> reads = new ArrayList<>();
  private final AtomicLong now = new AtomicLong(5_000_000_000L);
  private List<Pair> current = List.of(BTC);
  private final WatchedPairs watched = new WatchedPairs(user -> {
    reads.add(user);
    return Future.succeededFuture(new ArrayList<>(current));
  }, now::get);

  @Test
  void aUsersNextChatsUseTheListReadForTheFirst() {
    UUID user = UUID.randomUUID();
    assertThat(watched.of(user).result()).containsExactly(BTC);
    current = List.of(BTC, ETH);
    assertThat(watched.of(user).result()).containsExactly(BTC);
    assertThat(reads).containsExactly(user);
  }

  @Test
  void eachUserHasTheirOwnList() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    watched.of(a);
    current = List.of(ETH);
    assertThat(watched.of(b).result()).containsExactly(ETH);
    assertThat(watched.of(a).result()).containsExactly(BTC);
    assertThat(reads).containsExactly(a, b);
  }

  @Test
  void aForgottenUsersListIsReadAgain() {
    UUID user = UUID.randomUUID();
    watched.of(user);
    current = List.of(BTC, ETH);
    watched.forget(user);
    assertThat(watched.of(user).result()).containsExactly(BTC, ETH);
    assertThat(reads).hasSize(2);
  }

  @Test
  void aListOlderThanTheTtlIsReadAgain() {
    UUID user = UUID.randomUUID();
    watched.of(user);
    now.addAndGet(WatchedPairs.TTL.toNanos());
    watched.of(user);
    assertThat(reads).hasSize(1);
    now.addAndGet(1);
    watched.of(user);
    assertThat(reads).hasSize(2);
  }

  @Test
  void whileChangesAreHeardAListIsKeptUntilTheLongerTtl() {
    UUID user = UUID.randomUUID();
    watched.hearing(true);
    watched.of(user);
    now.addAndGet(WatchedPairs.TTL.toNanos() + 1);
    watched.of(user);
    assertThat(reads).hasSize(1);
    now.addAndGet(WatchedPairs.TTL_HEARD.toNanos() - WatchedPairs.TTL.toNanos());
    watched.of(user);
    assertThat(reads).hasSize(2);
  }

  @Test
  void startingToHearChangesForgetsEveryListKeptBefore() {
    UUID user = UUID.randomUUID();
    watched.of(user);
    current = List.of(ETH);
    watched.hearing(true);
    assertThat(watched.of(user).result()).containsExactly(ETH);
    assertThat(reads).hasSize(2);
  }

  @Test
  void whenChangesAreNoLongerHeardTheShortTtlCountsForTheListsKept() {
    UUID user = UUID.randomUUID();
    watched.hearing(true);
    watched.of(user);
    now.addAndGet(WatchedPairs.TTL.toNanos() + 1);
    watched.hearing(false);
    watched.of(user);
    assertThat(reads).hasSize(2);
  }

  @Test
  void theListUsedLongestAgoGoesWhenTooManyAreKept() {
    List<UUID> users = new ArrayList<>();
    for (int i = 0; i < WatchedPairs.MAX_USERS; i++) {
      users.add(UUID.randomUUID());
      watched.of(users.getLast());
    }
    watched.of(users.getFirst()); // used again: the second user is now the oldest
    watched.of(UUID.randomUUID());

    assertThat(watched.size()).isEqualTo(WatchedPairs.MAX_USERS);
    int before = reads.size();
    watched.of(users.getFirst());
    assertThat(reads).hasSize(before);
    watched.of(users.get(1));
    assertThat(reads).hasSize(before + 1);
  }

  @Test
  void aFailedReadIsNotKeptAndAReadInFlightIsShared() {
    List<Promise<List<Pair>>> pending = new ArrayList<>();
    WatchedPairs holding = new WatchedPairs(user -> {
      Promise<List<Pair>> p = Promise.promise();
      pending.add(p);
      return p.future();
    }, now::get);
    UUID user = UUID.randomUUID();
    Future<List<Pair>> first = holding.of(user);
    Future<List<Pair>> second = holding.of(user);
    assertThat(pending).hasSize(1);
    pending.getFirst().fail(new IllegalStateException("database unavailable"));
    assertThat(first.failed()).isTrue();
    assertThat(second.failed()).isTrue();
    assertThat(holding.size()).isZero();

    holding.of(user);
    assertThat(pending).hasSize(2);
  }

  @Test
  void theListKeptCannotBeChangedByItsReaders() {
    UUID user = UUID.randomUUID();
    List<Pair> pairs = watched.of(user).result();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> pairs.add(ETH)).isInstanceOf(UnsupportedOperationException.class);
  }
}
