package ai.zmarty.session;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.db.UserScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;

/**
 * The session package's one public entry on database A: chat sessions with a bounded number of
 * turns, their messages (the history that feeds the next prompt), and the idempotency keys of
 * {@code POST /chat}. Writes run as the service role with the user's id; reads run as the user.
 */
public final class ChatSessions {
  /** How many of a session's latest messages go into the next prompt. */
  public static final int HISTORY_MESSAGES = 10;

  private final Pool pool;
  private final int maxTurns;
  private final Duration staleClaim;

  /** {@code staleClaim}: how long a running request may hold its idempotency key before another may take it over. */
  public ChatSessions(Pool pool, int maxTurns, Duration staleClaim) {
    this.pool = pool;
    this.maxTurns = maxTurns;
    this.staleClaim = staleClaim;
  }

  /**
   * A turn taken in a session, with the messages before it (oldest first, {role, content}).
   * {@code stored}: the session's row exists; a new session's is written with its first answer.
   */
  public record Turn(UUID sessionId, JsonArray history, boolean stored) {}

  /**
   * Takes the next turn of {@code sessionId} for the user, or starts a new session when it is null.
   * Fails with NOT_FOUND when the session is not the user's, CONFLICT when its turns are used up.
   * A turn whose answer never completes is given back ({@link #giveBack}). A new session costs no
   * database work before the answer (it sits on the way to the first token): its row is written
   * with the first turn's messages, so an answer that never completes leaves no empty session.
   */
  public Future<Turn> takeTurn(UUID user, UUID sessionId) {
    if (sessionId == null) {
      return Future.succeededFuture(new Turn(UUID.randomUUID(), new JsonArray(), false));
    }
    return pool.withTransaction(conn -> conn.preparedQuery(SessionSql.LOCK_SESSION).execute(Tuple.of(sessionId)).compose(rows -> {
      if (rows.size() == 0 || !user.equals(rows.iterator().next().getUUID("user_id"))) {
        return Future.failedFuture(ErrorCode.NOT_FOUND.exception("no chat session " + sessionId));
      }
      int turns = rows.iterator().next().getInteger("turns");
      if (turns >= maxTurns) {
        return Future.failedFuture(ErrorCode.CONFLICT.exception("session " + sessionId + " has had its " + maxTurns + " turns; start a new session (send no session_id)"));
      }
      return conn.preparedQuery(SessionSql.TAKE_TURN).execute(Tuple.of(sessionId, user))
          .compose(r -> conn.preparedQuery(SessionSql.HISTORY).execute(Tuple.of(sessionId, HISTORY_MESSAGES, user)))
          .map(history -> {
            JsonArray out = new JsonArray();
            for (Row m : history) {
              out.add(new JsonObject().put("role", m.getString("role")).put("content", m.getString("content")));
            }
            return new Turn(sessionId, out, true);
          });
    }));
  }

  /** Gives back a turn whose answer did not complete. */
  public Future<Void> giveBack(UUID user, Turn turn) {
    if (!turn.stored()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(SessionSql.GIVE_TURN_BACK).execute(Tuple.of(turn.sessionId(), user)).mapEmpty();
  }

  /**
   * Keeps a completed turn: the question and the answer with the request that produced it (and a
   * new session's row, its first turn taken), in one statement.
   */
  public Future<Void> record(UUID user, Turn turn, String question, String answer, String requestId) {
    String sql = turn.stored() ? SessionSql.INSERT_TURN_MESSAGES : SessionSql.NEW_SESSION_WITH_MESSAGES;
    return pool.preparedQuery(sql).execute(Tuple.of(turn.sessionId(), user, question, answer, requestId)).mapEmpty();
  }

  /**
   * {@code {sessions: [{session_id, title, turns, max_turns, created_at, last_at}]}}: the user's
   * newest {@code limit} sessions, newest first, read under RLS (only their own).
   */
  public Future<JsonObject> list(UUID user, int limit) {
    return UserScope.asUser(pool, user, conn -> conn.preparedQuery(SessionSql.LIST).execute(Tuple.of(limit)).map(rows -> {
      JsonArray sessions = new JsonArray();
      for (Row s : rows) {
        java.time.OffsetDateTime last = s.getOffsetDateTime("last_at");
        sessions.add(new JsonObject().put("session_id", s.getUUID("id").toString()).put("title", s.getString("title")).put("turns", s.getInteger("turns"))
            .put("max_turns", maxTurns).put("created_at", s.getOffsetDateTime("created_at").toString()).put("last_at", last == null ? null : last.toString()));
      }
      return new JsonObject().put("sessions", sessions);
    }));
  }

  /** The session and its messages as the user sees them under RLS; NOT_FOUND when not theirs. */
  public Future<JsonObject> messages(UUID user, UUID sessionId) {
    return UserScope.asUser(pool, user, conn -> conn.preparedQuery(SessionSql.SESSION).execute(Tuple.of(sessionId)).compose(s -> {
      if (s.size() == 0) {
        return Future.failedFuture(ErrorCode.NOT_FOUND.exception("no chat session " + sessionId));
      }
      Row session = s.iterator().next();
      return conn.preparedQuery(SessionSql.MESSAGES).execute(Tuple.of(sessionId)).map(rows -> {
        JsonArray messages = new JsonArray();
        for (Row m : rows) {
          messages.add(new JsonObject().put("role", m.getString("role")).put("content", m.getString("content")).put("request_id", m.getString("request_id"))
              .put("created_at", m.getOffsetDateTime("created_at").toString()));
        }
        return new JsonObject().put("session_id", sessionId.toString()).put("turns", session.getInteger("turns")).put("max_turns", maxTurns)
            .put("created_at", session.getOffsetDateTime("created_at").toString()).put("messages", messages);
      });
    }));
  }

  /** The state of an idempotency key after a request tried to claim it. */
  public sealed interface Claim {}

  /** This request holds the key: it runs, then completes or abandons it. */
  public record Claimed() implements Claim {}

  /** An earlier request with the key is still running. */
  public record Running(String requestId) implements Claim {}

  /** An earlier request with the key completed with this response. */
  public record Done(JsonObject response) implements Claim {}

  /** What a request asks (message, session, mode) as a hex SHA-256: the same key must mean the same request. */
  public static String fingerprint(String message, UUID sessionId, String mode) {
    String what = new JsonObject().put("message", message).put("session_id", sessionId == null ? null : sessionId.toString()).put("mode", mode).encode();
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(what.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The key was used for a different request (another message, session or mode). */
  public record Mismatch() implements Claim {}

  /**
   * Claims {@code key} for this request; {@code requestHash} identifies what was asked, so the key
   * cannot replay (or block) a different request.
   */
  public Future<Claim> claim(UUID user, String key, String requestId, String requestHash) {
    return pool.preparedQuery(SessionSql.CLAIM).execute(Tuple.of(user, key, requestId, (double) staleClaim.toSeconds(), requestHash)).recover(ChatSessions::noProfile).compose(rows -> {
      if (rows.size() > 0) {
        return Future.succeededFuture(new Claimed());
      }
      return pool.preparedQuery(SessionSql.CLAIMED).execute(Tuple.of(user, key)).map(found -> {
        if (found.size() == 0) {
          return (Claim) new Running(null); // abandoned between the two statements; the client may retry
        }
        Row r = found.iterator().next();
        String stored = r.getString("request_hash");
        if (stored != null && !stored.equals(requestHash)) {
          return new Mismatch();
        }
        return "done".equals(r.getString("status")) ? new Done((JsonObject) r.getValue("response")) : new Running(r.getString("request_id"));
      });
    });
  }

  /** The key's row refers to the user's profile: a user without one (a signed token, no account) is refused, not a 500. */
  private static <T> Future<T> noProfile(Throwable err) {
    if (err instanceof io.vertx.pgclient.PgException pg && "23503".equals(pg.getSqlState())) {
      return Future.failedFuture(ErrorCode.FORBIDDEN.exception("this account has no profile and no credits yet; it cannot chat"));
    }
    return Future.failedFuture(err);
  }

  public Future<Void> complete(UUID user, String key, String requestId, JsonObject response) {
    return pool.preparedQuery(SessionSql.COMPLETE).execute(Tuple.of(user, key, requestId, response)).mapEmpty();
  }

  /** Gives the key back when the request ended without a stored answer, so a retry runs again. */
  public Future<Void> abandon(UUID user, String key, String requestId) {
    return pool.preparedQuery(SessionSql.ABANDON).execute(Tuple.of(user, key, requestId)).mapEmpty();
  }
}
