package ai.zmarty.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who wants which signal: open streams indexed by symbol, so a new signal visits only the streams
 * that watch its symbol (then their timeframe), not every open one. Pure and single-threaded (one
 * per HTTP verticle instance, used on its event loop).
 *
 * @param <S> the stream (a response in production, anything in tests)
 */
final class SignalStreamIndex<S> {
  /** A watched pair: canonical symbol and timeframe label. */
  record Key(String symbol, String timeframe) {}

  /** A stream's filter: whole symbols (every timeframe) or exact pairs. */
  record Filter(Set<String> symbols, Set<Key> pairs) {
    static Filter symbols(Collection<String> symbols) {
      return new Filter(new LinkedHashSet<>(symbols), Set.of());
    }

    static Filter pairs(Collection<Key> pairs) {
      return new Filter(Set.of(), new LinkedHashSet<>(pairs));
    }

    Set<String> indexSymbols() {
      Set<String> all = new LinkedHashSet<>(symbols);
      pairs.forEach(k -> all.add(k.symbol()));
      return all;
    }

    boolean matches(String symbol, String timeframe) {
      return symbols.contains(symbol) || pairs.contains(new Key(symbol, timeframe));
    }

    /** What the stream's {@code ready} event says it will carry. */
    JsonObject toJson() {
      JsonArray ps = new JsonArray();
      pairs.forEach(k -> ps.add(new JsonObject().put("symbol", k.symbol()).put("timeframe", k.timeframe())));
      return new JsonObject().put("symbols", SignalStreams.array(symbols)).put("pairs", ps);
    }
  }

  private final Map<S, Filter> filters = new LinkedHashMap<>();
  private final Map<String, Set<S>> bySymbol = new HashMap<>();

  void add(S stream, Filter filter) {
    remove(stream);
    filters.put(stream, filter);
    for (String symbol : filter.indexSymbols()) {
      bySymbol.computeIfAbsent(symbol, k -> new LinkedHashSet<>()).add(stream);
    }
  }

  void remove(S stream) {
    Filter f = filters.remove(stream);
    if (f == null) {
      return;
    }
    for (String symbol : f.indexSymbols()) {
      Set<S> set = bySymbol.get(symbol);
      if (set != null && set.remove(stream) && set.isEmpty()) {
        bySymbol.remove(symbol);
      }
    }
  }

  /** The streams a signal on {@code symbol} / {@code timeframe} goes to (a copy: callers may remove while walking it). */
  List<S> matching(String symbol, String timeframe) {
    Set<S> candidates = symbol == null ? null : bySymbol.get(symbol);
    if (candidates == null) {
      return List.of();
    }
    List<S> out = new ArrayList<>(candidates.size());
    for (S s : candidates) {
      if (filters.get(s).matches(symbol, timeframe)) {
        out.add(s);
      }
    }
    return out;
  }

  Collection<S> all() {
    return filters.keySet();
  }

  int size() {
    return filters.size();
  }
}
