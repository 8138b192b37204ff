package ai.zmarty.session;

/** Database A statements of the session package. */
final class SessionSql {
  private SessionSql() {}

  /** Locks the session row so two requests in one session take their turns one at a time. */
  static final String LOCK_SESSION = "select user_id, turns from chat_sessions where id = $1 for update";


  static final String TAKE_TURN = "update chat_sessions set turns = turns + 1 where id = $1 and user_id = $2";

  static final String GIVE_TURN_BACK = "update chat_sessions set turns = greatest(turns - 1, 0) where id = $1 and user_id = $2";

  /** The newest {@code $2} messages of a session, oldest first. */
  static final String HISTORY =
      "select role, content from (select id, role, content from chat_messages where session_id = $1 and user_id = $3 order by id desc limit $2) m order by id";

  /** A turn's question and answer, in that order, in one statement (so both or neither are kept). */
  static final String INSERT_TURN_MESSAGES =
      "insert into chat_messages (session_id, user_id, role, content, request_id) values ($1, $2, 'user', $3, $5), ($1, $2, 'assistant', $4, $5)";

  /**
   * A new session with its first turn taken, and that turn's messages (the foreign key is checked
   * at the end of the statement, when the session row is there).
   */
  static final String NEW_SESSION_WITH_MESSAGES =
      """
      with session as (insert into chat_sessions (id, user_id, turns) values ($1, $2, 1))
      insert into chat_messages (session_id, user_id, role, content, request_id) values ($1, $2, 'user', $3, $5), ($1, $2, 'assistant', $4, $5)
      """;

  /** Read as the user: RLS hides other users' sessions. */
  static final String SESSION = "select id, turns, created_at from chat_sessions where id = $1";

  /**
   * Read as the user: their newest sessions ($1 of them), each with its first question (the title)
   * and its last message's time.
   */
  static final String LIST =
      """
      select s.id, s.turns, s.created_at,
             (select left(m.content, 120) from chat_messages m where m.session_id = s.id and m.role = 'user' order by m.id limit 1) as title,
             (select max(m.created_at) from chat_messages m where m.session_id = s.id) as last_at
      from chat_sessions s
      order by s.created_at desc
      limit $1
      """;

  static final String MESSAGES = "select role, content, request_id, created_at from chat_messages where session_id = $1 order by id";

  /**
   * Claims an idempotency key; a claim left running longer than {@code $4} seconds (its node died)
   * is taken over. Returns a row only when this request now holds the claim.
   */
  static final String CLAIM =
      """
      insert into chat_requests (user_id, idempotency_key, request_id, status, request_hash) values ($1, $2, $3, 'running', $5)
      on conflict (user_id, idempotency_key) do update set request_id = excluded.request_id, request_hash = excluded.request_hash, created_at = now()
        where chat_requests.status = 'running' and chat_requests.created_at < now() - make_interval(secs => $4)
      returning request_id
      """;

  static final String CLAIMED = "select request_id, status, response, request_hash from chat_requests where user_id = $1 and idempotency_key = $2";

  static final String COMPLETE = "update chat_requests set status = 'done', response = $4 where user_id = $1 and idempotency_key = $2 and request_id = $3";

  static final String ABANDON = "delete from chat_requests where user_id = $1 and idempotency_key = $2 and request_id = $3 and status = 'running'";
}
