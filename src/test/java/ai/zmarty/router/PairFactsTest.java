package ai.zmarty.router;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.market.Pair;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PairFactsTest {
  private static final Pair BTC = Pair.of("BTC/USDT", "1h");
  private static final Pair ETH = Pair.of("ETH/USDT", "1h");

  private final List<List<Pair>> reads = new ArrayList<>();
  private final List<Promise<PairFacts.Facts>> pending = new ArrayList<>();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private int version = 1;

  /** Answers each read at once with the pairs' facts as of {@link #version}. */
  private final PairFacts answering = new PairFacts(pairs -> {
    reads.add(pairs);
    return Future.succeededFuture(factsOf(pairs, version));
  }, now::get);

  /** Holds each read open until the test completes it. */
  private final PairFacts holding = new PairFacts(pairs -> {
    reads.add(pairs);
    Promise<PairFacts.Facts> p = Promise.promise();
    pending.add(p);
    return p.future();
  }, now::get);

  private static PairFacts.Facts factsOf(List<Pair> pairs, int version) {
    List<JsonObject> signals = new ArrayList<>();
    List<JsonObject> rates = new ArrayList<>();
    for (Pair p : pairs) {
      signals.add(p.toJson().put("score", version));
      rates.add(p.toJson().put("window", "30d").put("win_rate", version / 10.0));
      rates.add(p.toJson().put("window", "90d").put("win_rate", version / 20.0));
    }
    return new PairFacts.Facts(signals, rates);
  }

  private static PairFacts.Facts now(Future<PairFacts.Facts> f) {
    assertThat(f.succeeded()).as("facts ready").isTrue();
    return f.result();
  }

  @Test
  void chatsOfThePairsAlreadyReadDoNotReadThemAgain() {
    now(answering.of(List.of(BTC, ETH)));
    PairFacts.Facts second = now(answering.of(List.of(ETH, BTC)));

    assertThat(reads).containsExactly(List.of(BTC, ETH));
    assertThat(second.signals()).extracting(s -> s.getString("symbol")).containsExactly("ETH/USDT", "BTC/USDT");
    assertThat(second.winRates()).hasSize(4);
  }

  @Test
  void onlyThePairsNotKnownAreRead() {
    now(answering.of(List.of(BTC)));
    PairFacts.Facts both = now(answering.of(List.of(BTC, ETH)));

    assertThat(reads).containsExactly(List.of(BTC), List.of(ETH));
    assertThat(both.signals()).extracting(s -> s.getString("symbol")).containsExactly("BTC/USDT", "ETH/USDT");
  }

  @Test
  void aForgottenPairIsReadAgainAndTheOthersAreNot() {
    now(answering.of(List.of(BTC, ETH)));
    version = 2;
    answering.forget(BTC);
    PairFacts.Facts after = now(answering.of(List.of(BTC, ETH)));

    assertThat(reads).containsExactly(List.of(BTC, ETH), List.of(BTC));
    assertThat(after.signals()).extracting(s -> s.getInteger("score")).containsExactly(2, 1);
  }

  @Test
  void factsOlderThanTheTtlAreReadAgain() {
    now(answering.of(List.of(BTC)));
    now.addAndGet(PairFacts.TTL.toNanos());
    now(answering.of(List.of(BTC)));
    assertThat(reads).hasSize(1);

    now.addAndGet(1);
    version = 3;
    assertThat(now(answering.of(List.of(BTC))).signals().getFirst().getInteger("score")).isEqualTo(3);
    assertThat(reads).hasSize(2);
  }

  @Test
  void chatsThatMissTogetherShareOneRead() {
    Future<PairFacts.Facts> first = holding.of(List.of(BTC));
    Future<PairFacts.Facts> second = holding.of(List.of(BTC));
    assertThat(reads).hasSize(1);

    pending.getFirst().complete(factsOf(List.of(BTC), 1));
    assertThat(now(first).signals()).hasSize(1);
    assertThat(now(second).signals()).hasSize(1);
  }

  @Test
  void aPairForgottenWhileItsReadRunsIsReadAgainByTheNextChat() {
    Future<PairFacts.Facts> before = holding.of(List.of(BTC));
    holding.forget(BTC); // a new signal arrived while the read ran
    Future<PairFacts.Facts> after = holding.of(List.of(BTC));

    assertThat(reads).hasSize(2);
    pending.get(0).complete(factsOf(List.of(BTC), 1));
    pending.get(1).complete(factsOf(List.of(BTC), 2));
    assertThat(now(before).signals().getFirst().getInteger("score")).isEqualTo(1);
    assertThat(now(after).signals().getFirst().getInteger("score")).isEqualTo(2);
    // and the older read, finishing later, did not take the pair's place
    assertThat(now(holding.of(List.of(BTC))).signals().getFirst().getInteger("score")).isEqualTo(2);
    assertThat(reads).hasSize(2);
  }

  @Test
  void aFailedReadIsNotKept() {
    Future<PairFacts.Facts> failed = holding.of(List.of(BTC));
    pending.getFirst().fail(new IllegalStateException("database unavailable"));
    assertThat(failed.failed()).isTrue();
    assertThat(holding.size()).isZero();

    holding.of(List.of(BTC));
    assertThat(reads).hasSize(2);
  }

  @Test
  void noPairsNeedNoRead() {
    PairFacts.Facts none = now(answering.of(List.of()));
    assertThat(none.signals()).isEmpty();
    assertThat(reads).isEmpty();
  }
}
