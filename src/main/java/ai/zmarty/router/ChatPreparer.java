package ai.zmarty.router;

import ai.zmarty.bus.Replies;
import ai.zmarty.market.Pair;
import ai.zmarty.signal.SignalQueries;
import ai.zmarty.watchlist.Watchlist;
import ai.zmarty.winrate.WinRateQueries;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads what a chat's prompt is built from (the user's pairs, which {@link WatchedPairs} keeps
 * between chats, then their latest signals and win rates, which {@link PairFacts} keeps) and counts
 * its tokens.
 */
final class ChatPreparer {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChatPreparer.class);
  record Prepared(UUID user, String message, Prompt prompt, ChatContext context, long inputTokens) {}

  private final WatchedPairs watched;
  private final PairFacts facts;
  private final TokenCounter tokens;

  ChatPreparer(Watchlist watchlist, SignalQueries signals, WinRateQueries winRates, TokenCounter tokens) {
    this.watched = new WatchedPairs(watchlist::pairsOf, System::nanoTime);
    this.facts = new PairFacts(pairs -> Future.all(signals.latest(pairs, 1), winRates.forPairs(pairs))
        .map(all -> new PairFacts.Facts(all.resultAt(0), all.resultAt(1))), System::nanoTime);
    this.tokens = tokens;
  }

  /** {@code events.watchlist.changed} {user_id}: the user's next chat reads their pairs again. */
  void watchlistChanged(JsonObject event) {
    watchlistChanged(event.getString("user_id"));
  }

  /** Database A's {@code watchlist_changed} notification, its payload the user's id. */
  void watchlistChanged(String user) {
    try {
      watched.forget(UUID.fromString(user));
    } catch (RuntimeException e) {
      log.warn("a watchlist change without a user id: {}", user);
    }
  }

  /** Whether every change to a watchlist is heard now ({@link WatchedPairs#hearing}). */
  void watchlistsHeard(boolean heard) {
    watched.hearing(heard);
  }

  /** {@code events.signal.created} (the signal): its pair's facts are read again. */
  void signalCreated(JsonObject signal) {
    forgetPair(signal);
  }

  /** {@code events.winrate.updated} {pairs}: those pairs' facts are read again (every pair's, when it names none). */
  void winRatesUpdated(JsonObject event) {
    JsonArray pairs = event.getJsonArray("pairs");
    if (pairs == null) {
      facts.forgetAll();
    } else {
      pairs.forEach(p -> forgetPair(p instanceof JsonObject o ? o : new JsonObject()));
    }
  }

  /** A change event names its pair; one that cannot be read makes every pair's facts be read again. */
  private void forgetPair(JsonObject pair) {
    try {
      facts.forget(Pair.fromJson(pair));
    } catch (RuntimeException e) {
      facts.forgetAll();
    }
  }

  /** From a request {user_id, message, history?}. */
  Future<Prepared> prepare(JsonObject body) {
    UUID user = UUID.fromString(Replies.required(body, "user_id"));
    String message = Replies.required(body, "message");
    return watched
        .of(user)
        .compose(pairs -> facts.of(pairs).map(f -> new ChatContext(pairs, f.signals(), f.winRates())))
        .map(context -> {
          Prompt prompt = PromptBuilder.build(context, history(body), message);
          return new Prepared(user, message, prompt, context, tokens.count(prompt));
        });
  }

  /** The session's earlier messages the HTTP layer sent along ({@code history: [{role, content}]}). */
  static List<PromptBuilder.Turn> history(JsonObject body) {
    JsonArray history = body.getJsonArray("history");
    List<PromptBuilder.Turn> out = new ArrayList<>();
    if (history != null) {
      for (Object o : history) {
        if (o instanceof JsonObject m && m.getString("content") != null) {
          out.add(new PromptBuilder.Turn(m.getString("role", "user"), m.getString("content")));
        }
      }
    }
    return out;
  }
}
