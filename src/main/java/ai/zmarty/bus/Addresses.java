package ai.zmarty.bus;

/** Every event-bus address in one place. */
public final class Addresses {
  private Addresses() {}

  /** Prefix of the job addresses the pgmq poller sends to: {@code jobs.<queue>}. */
  public static final String JOBS_PREFIX = "jobs.";

  /**
   * Domain events published inside the cluster (a signal created, …). They are not bridged: the
   * ops role turns its readings into {@code admin.*} snapshots, and only those reach browsers.
   */
  public static final String EVENTS_PREFIX = "events.";

  public static final String CREDIT_RESERVE = "credit.reserve";
  public static final String CREDIT_SETTLE = "credit.settle";
  public static final String CREDIT_RELEASE = "credit.release";
  public static final String CREDIT_ESTIMATE = "credit.estimate";
  public static final String CREDIT_GRANT = "credit.grant";
  /** Reverses a chat's charge whose turn could not be stored (idempotent per request). */
  public static final String CREDIT_REFUND = "credit.refund";
  public static final String CREDIT_STATEMENT = "credit.statement";

  /** Starts a chat answer; tokens then flow to the stream address named in the request. */
  public static final String MODEL_CHAT = "model.chat";

  /** Speaks a finished answer (ElevenLabs, cached by text hash) and charges it as its own ledger row. */
  public static final String VOICE_SPEAK = "voice.speak";

  /** Estimates the most a chat message may cost, without calling a model. */
  public static final String MODEL_ESTIMATE = "model.estimate";

  /** Where a client's disconnect is announced, so the router stops the upstream call. */
  public static String chatCancel(String requestId) {
    return "model.cancel." + requestId;
  }

  /**
   * The per-request address the router streams one answer to: String bodies are answer text, then
   * one JSON event ({@code type} done or error) ends it.
   */
  public static String chatStream(String requestId) {
    return "model.stream." + requestId;
  }

  /** pgmq queue names of the worker pipeline; the poller hands their messages to {@code jobs.<queue>}. */
  public static final String QUEUE_INGEST_INDICATORS = "ingest_indicators";

  public static final String QUEUE_COMPUTE_SIGNALS = "compute_signals";
  public static final String QUEUE_COMPUTE_WINRATE = "compute_winrate";

  /** Candles → indicators and risk metrics of one pair; body: a queue Job, payload {@code {symbol, timeframe}}. */
  public static final String JOB_INGEST_INDICATORS = JOBS_PREFIX + QUEUE_INGEST_INDICATORS;

  /** Indicators → signals of one pair; body: a queue Job, payload {@code {symbol, timeframe}}. */
  public static final String JOB_COMPUTE_SIGNALS = JOBS_PREFIX + QUEUE_COMPUTE_SIGNALS;

  /** Resolves signal outcomes and rolls up win rates; body: a queue Job, payload {@code {}} or {@code {symbol, timeframe}}. */
  public static final String JOB_COMPUTE_WINRATE = JOBS_PREFIX + QUEUE_COMPUTE_WINRATE;

  /** Lens (outside trade signals): enrichment, then evaluation; payload {@code {event_id}} for both. */
  public static final String QUEUE_LENS_ENRICH = "lens_enrich";

  public static final String QUEUE_LENS_EVALUATE = "lens_evaluate";

  /** Enriches one outside signal (market data, TA, levels, quality flags); body: a queue Job, payload {@code {event_id}}. */
  public static final String JOB_LENS_ENRICH = JOBS_PREFIX + QUEUE_LENS_ENRICH;

  /** Asks every configured model about one enriched signal; body: a queue Job, payload {@code {event_id}}. */
  public static final String JOB_LENS_EVALUATE = JOBS_PREFIX + QUEUE_LENS_EVALUATE;

  /**
   * Published once per model decision on an outside signal, after its row is committed; body:
   * {@code {event_id, source, symbol, event_type, direction, model, status, decision, confidence,
   * entry_plan, risk_plan, size_pct, reasons, prompt_version, decided_at}}. The API nodes' decision
   * sockets ({@code /ws/decisions}) filter and forward it.
   */
  public static final String EVENTS_LENS_DECISION = EVENTS_PREFIX + "lens.decision";

  /**
   * Scores the judges now (worker nodes also do it every {@code LENS_JUDGE_INTERVAL}): resolves the
   * model decisions whose horizon has passed; body {@code {}}; reply {@code {resolved, not_scored,
   * written, pending}}.
   */
  public static final String LENS_JUDGE_RUN = "lens.judge.run";

  /** Published once per new signal; body: the signal as JSON. */
  public static final String EVENTS_SIGNAL_CREATED = EVENTS_PREFIX + "signal.created";

  /**
   * Published after a win-rate job committed new win rates; body {@code {pairs: [{symbol,
   * timeframe}]}}. Sent once, after the commit, with no outbox behind it: a reader that keeps win
   * rates (the model router) also lets them age out.
   */
  public static final String EVENTS_WINRATE_UPDATED = EVENTS_PREFIX + "winrate.updated";

  /**
   * Published when a user's watched pairs changed: by the API after its commit ({@code POST
   * /symbols}, {@code DELETE /symbols/…}), and by the sync hook when it applies a delivered change
   * of A's {@code user_symbols} (which also covers edits made past the API); body {@code {user_id}}.
   * Its reader (the model router, which keeps each user's pairs between chats) also lets them age out.
   */
  public static final String EVENTS_WATCHLIST_CHANGED = EVENTS_PREFIX + "watchlist.changed";

  /**
   * The nightly pipeline's start, sent by the scheduler at {@code NIGHTLY_CRON} in {@code NIGHTLY_TZ}
   * (and by {@code POST /admin/cron/nightly/run}); body {@code {job, slot, trigger}} (every field
   * optional), consumed on ops nodes; the reply (the run summary) or failure ({@code CONFLICT} while
   * another run holds the lease) ends the scheduler's run record.
   */
  public static final String OPS_NIGHTLY_RUN = "ops.nightly.run";

  /** The operator's seven health checks, answered on api and ops nodes; reply: the report ({@code GET /admin/health}). */
  public static final String OPS_HEALTH = "ops.health";

  /** The schedules, their next fire times and latest runs ({@code GET /admin/cron}); body {@code {}}. */
  public static final String OPS_CRON_LIST = "ops.cron.list";

  /** The A→B sync outbox for operators ({@code GET /admin/sync}): counts and the newest dead rows; body {@code {}}; answered on ops nodes. */
  public static final String OPS_SYNC_LIST = "ops.sync.list";

  /** Sends a dead outbox row again ({@code POST /admin/sync/{id}/retry}); body {@code {id}}; 404 unknown, 409 not dead. */
  public static final String OPS_SYNC_RETRY = "ops.sync.retry";

  /** Runs one job now ({@code POST /admin/cron/{job}/run}); body {@code {job}}; 404 unknown, 409 running. */
  public static final String OPS_CRON_RUN = "ops.cron.run";

  /**
   * Published when an operator pauses or resumes a queue; body {@code {queue, paused}}. Every
   * poller re-reads {@code queue_pauses} at once (it also does every 10 s).
   */
  public static final String QUEUE_CONTROL = "ops.queue.control";

  /**
   * Published after a commit that sent a message to a queue; body {@code {queue}}. A poller of that
   * queue waiting out its idle poll reads at once (the idle poll stays the fallback).
   */

  /** Prefix of the operators' live snapshots, the only addresses the event-bus bridge lets out to browsers. */
  public static final String ADMIN_PREFIX = "admin.";

  /** Prefix of the operators' actions, the only addresses the bridge lets browsers send to. */
  public static final String ADMIN_ACTIONS_PREFIX = "admin.actions.";

  /** Snapshots the ops role publishes every second and on every change; each body is described in docs/admin.md. */
  public static final String ADMIN_QUEUES = "admin.queues";

  public static final String ADMIN_DLQ = "admin.dlq";
  public static final String ADMIN_CRON = "admin.cron";
  public static final String ADMIN_ERRORS = "admin.errors";
  public static final String ADMIN_CREDITS = "admin.credits";
  public static final String ADMIN_PROVIDERS = "admin.providers";
  public static final String ADMIN_CLUSTER = "admin.cluster";
  public static final String ADMIN_HEALTH = "admin.health";
  public static final String ADMIN_LENS = "admin.lens";

  /** Operator actions (bridged inbound); each replies {@code {ok, action, …}} or fails with an ErrorCode. */
  public static final String ADMIN_DLQ_RETRY = "admin.actions.dlq.retry";

  public static final String ADMIN_DLQ_RETRY_GROUP = "admin.actions.dlq.retry_group";
  public static final String ADMIN_DLQ_DISCARD_GROUP = "admin.actions.dlq.discard_group";
  public static final String ADMIN_CRON_RUN = "admin.actions.cron.run";
  public static final String ADMIN_QUEUE_PAUSE = "admin.actions.queue.pause";
  public static final String ADMIN_QUEUE_RESUME = "admin.actions.queue.resume";

  /** Every node's WARN and ERROR log events, published by its log appender; body {@code {node, level, logger, message, at}}. Not bridged. */
  public static final String OPS_LOG_EVENTS = "ops.log.events";

  /** Published after an operator's action: the admin feed reads and publishes again at once; body {@code {}}. Not bridged. */
  public static final String OPS_ADMIN_REFRESH = "ops.admin.refresh";

  /** Every node's report, published each second: {@code {node, roles, at, chats, providers}}. Not bridged. */
  public static final String OPS_NODE_REPORT = "ops.node.report";

  public static String job(String queue) {
    return JOBS_PREFIX + queue;
  }
}
