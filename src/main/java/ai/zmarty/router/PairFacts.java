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
 * The newest signal and the win rates of each pair, kept between chats: they belong to the pair, not
 * the user, so every user who watches a pair shares one read of them. A pair's facts are forgotten
 * when the event that changes them arrives ({@code events.signal.created}, {@code
 * events.winrate.updated}: {@link #forget}) and at the latest {@link #TTL} after they were read,
 * which bounds how long a change that sent no event (a hand edit, a lost event) stays unseen.
 *
 * <p>A read is shared while it runs: the chats that miss the same pair at once wait for one read. A
 * pair forgotten while its read runs is read again by the next chat, so a read that started before
 * a new signal never stands for the facts after it. Used on one context (the router's) only.
 */
final class PairFacts {
  /** How long a pair's facts are used without a change event. */
  static final Duration TTL = Duration.ofSeconds(30);

  /** What a read of several pairs brings back: their newest signals and their win rates. */
  record Facts(List<JsonObject> signals, List<JsonObject> winRates) {}

  private record Entry(Future<Facts> facts, long readAt) {}

  private final Function<List<Pair>, Future<Facts>> read;
  private final LongSupplier nanoClock;
  private final Map<Pair, Entry> entries = new HashMap<>();

  /** @param read reads the facts of the pairs given (one round trip for all of them) */
  PairFacts(Function<List<Pair>, Future<Facts>> read, LongSupplier nanoClock) {
    this.read = read;
    this.nanoClock = nanoClock;
  }

  /** The facts of {@code pairs}, read only for the pairs not known (or known too long). */
  Future<Facts> of(List<Pair> pairs) {
    long now = nanoClock.getAsLong();
    List<Pair> missing = new ArrayList<>();
    for (Pair p : pairs) {
      Entry e = entries.get(p);
      if (e == null || now - e.readAt() > TTL.toNanos() || e.facts().failed()) {
        missing.add(p);
      }
    }
    if (!missing.isEmpty()) {
      Entry fresh = new Entry(read.apply(missing), now);
      missing.forEach(p -> entries.put(p, fresh));
      // a failed read is not kept: the next chat tries again
      fresh.facts().onFailure(err -> missing.forEach(p -> entries.remove(p, fresh)));
    }
    List<Future<Facts>> parts = new ArrayList<>(pairs.size());
    for (Pair p : pairs) {
      parts.add(entries.get(p).facts().map(f -> only(f, p)));
    }
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
    entries.remove(pair);
  }

  /** Every pair's facts are read again (a change event that names no pair). */
  void forgetAll() {
    entries.clear();
  }

  /** How many pairs are known now. */
  int size() {
    return entries.size();
  }

  private static Facts only(Facts all, Pair p) {
    return new Facts(ofPair(all.signals(), p), ofPair(all.winRates(), p));
  }

  private static List<JsonObject> ofPair(List<JsonObject> rows, Pair p) {
    List<JsonObject> out = new ArrayList<>(2);
    for (JsonObject r : rows) {
      if (p.symbol().equals(r.getString("symbol")) && p.timeframeLabel().equals(r.getString("timeframe"))) {
        out.add(r);
      }
    }
    return out;
  }
}
