package ai.zmarty.router;

import ai.zmarty.market.Pair;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The newest signal and the win rates of each pair, kept between chats ({@link KeptReads}): they
 * belong to the pair, not the user, so every user who watches a pair shares one read of them. A
 * pair's facts are forgotten when the event that changes them arrives ({@code events.signal.created},
 * {@code events.winrate.updated}: {@link #forget}) and at the latest {@link #TTL} after they were
 * read, which bounds how long a change that sent no event (a hand edit, a lost event) stays unseen.
 */
final class PairFacts {
  /** How long a pair's facts are used without a change event. */
  static final Duration TTL = Duration.ofSeconds(30);
  /** Pairs kept at most (a market lists a few hundred). */
  static final int MAX_PAIRS = 10_000;

  /** What a read of several pairs brings back: their newest signals and their win rates. */
  record Facts(List<JsonObject> signals, List<JsonObject> winRates) {}

  private final KeptReads<Pair, Facts> kept;

  /** @param read reads the facts of the pairs given (one round trip for all of them) */
  PairFacts(Function<List<Pair>, Future<Facts>> read, LongSupplier nanoClock) {
    this.kept = new KeptReads<>(pairs -> read.apply(pairs).map(all -> byPair(pairs, all)), TTL, MAX_PAIRS, nanoClock);
  }

  /** The facts of {@code pairs}, read only for the pairs not known (or known too long). */
  Future<Facts> of(List<Pair> pairs) {
    List<Future<Facts>> parts = kept.of(pairs);
    return Future.all(parts).map(all -> {
      List<JsonObject> signals = new ArrayList<>();
      List<JsonObject> winRates = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        Facts f = all.resultAt(i);
        signals.addAll(f.signals());
        winRates.addAll(f.winRates());
      }
      return new Facts(signals, winRates);
    });
  }

  /** The pair's facts changed: the next chat that needs them reads them again. */
  void forget(Pair pair) {
    kept.forget(pair);
  }

  /** Every pair's facts are read again (a change event that names no pair). */
  void forgetAll() {
    kept.forgetAll();
  }

  /** How many pairs are known now. */
  int size() {
    return kept.size();
  }

  /** One read's rows, split by pair (once per read, not per chat) as {@link ChatContext} selects them. */
  private static Map<Pair, Facts> byPair(List<Pair> pairs, Facts all) {
    ChatContext rows = new ChatContext(pairs, all.signals(), all.winRates());
    Map<Pair, Facts> out = new HashMap<>();
    pairs.forEach(p -> out.put(p, new Facts(rows.signalsOf(p), rows.winRatesOf(p))));
    return out;
  }
}
