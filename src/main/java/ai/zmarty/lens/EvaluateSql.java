package ai.zmarty.lens;

/** The statements of the lens evaluation worker (schema {@code lens} of database B). */
final class EvaluateSql {
  private EvaluateSql() {}

  /**
   * A decision's time as its bus message gives it: ISO-8601 in UTC with microseconds, the same text
   * whether the worker publishes the message or a publisher sends the outbox's copy.
   */
  private static final String DECIDED_AT = "to_char(x.created_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";

  /**
   * The {@code events.lens.decision} body of a row {@code m} with the event's and the decision's
   * columns: the one definition of the message, for the worker's own publish and the outbox's copy.
   */
  private static final String MESSAGE =
      """
      jsonb_build_object('event_id', m.event_id, 'decision_id', m.decision_id, 'source', m.source, 'symbol', m.symbol,
        'event_type', m.event_type, 'direction', m.direction, 'model', m.model, 'status', m.status, 'decision', m.decision,
        'confidence', m.confidence, 'entry_plan', m.entry_plan, 'risk_plan', m.risk_plan, 'size_pct', m.size_pct,
        'reasons', m.reasons, 'prompt_version', m.prompt_version, 'decided_at', m.decided_at)""";

  /**
   * The event, its status, the payload enrichment made for the models (null when not enriched) and
   * the models that already have a row for it.
   */
  static final String LOAD =
      """
      select e.event_id, e.source, e.symbol, e.event_type, e.direction, e.entry_price::float8 as entry_price,
             e.size::float8 as size, e.liquidation_price::float8 as liquidation_price, e.ts_utc, e.feature_profile,
             e.status, n.model_payload,
             array(select d.model from lens.model_decisions d where d.event_id = e.event_id) as decided
      from lens.events e left join lens.enriched_events n on n.event_id = e.event_id
      where e.event_id = $1
      """;

  static final String TIMELINE =
      """
      insert into lens.processing_timeline (event_id, stage, status, node, detail)
      values ($1, $2, $3, $4, $5)
      """;

  /**
   * The whole evaluation in one statement (atomic): the event becomes evaluated, once — a second
   * delivery evaluating at the same time waits on the row lock, then finds the status changed and
   * writes nothing —; one decision row per outcome of $2 (a row the event already has for that model
   * is kept: redelivery); the timeline rows of $4 in the order of their {@code n} ({@code at} null:
   * now) with node $3; the event's open evaluate dead letters resolved; and every decision's bus
   * message (address $5) into the event outbox, identified by its {@code decision_id} and held for
   * $6 seconds (the worker publishes it itself right after). Answers the bus message of every
   * decision of the event, column {@code body} (no row: another delivery evaluated it).
   */
  static final String COMMIT =
      """
      with claimed as (
        update lens.events set status = 'evaluated', evaluated_at = now()
        where event_id = $1 and status in ('enriched', 'failed')
        returning event_id, source, symbol, event_type, direction
      ), inserted as (
        insert into lens.model_decisions (event_id, model, status, decision, confidence, entry_plan, risk_plan, size_pct, reasons,
                                          raw_answer, error_code, error_message, prompt_version, prompt_hash, latency_ms,
                                          tokens_in, tokens_out, cost)
        select c.event_id, u.model, u.status, u.decision, u.confidence, u.entry_plan, u.risk_plan, u.size_pct, u.reasons,
               u.raw_answer, u.error_code, u.error_message, u.prompt_version, u.prompt_hash, u.latency_ms,
               u.tokens_in, u.tokens_out, u.cost
        from claimed c,
             jsonb_to_recordset($2::jsonb) as u(model text, status text, decision text, confidence float8, entry_plan jsonb, risk_plan jsonb,
                                                size_pct float8, reasons jsonb, raw_answer text, error_code text, error_message text,
                                                prompt_version text, prompt_hash text, latency_ms int, tokens_in int, tokens_out int, cost numeric)
        on conflict (event_id, model) do nothing
        returning decision_id, model, status, decision, confidence, entry_plan, risk_plan, size_pct, reasons, prompt_version, created_at
      ), timeline as (
        insert into lens.processing_timeline (event_id, stage, status, node, detail, at)
        select c.event_id, t.stage, t.status, $3, t.detail, coalesce(t.at, now())
        from claimed c, jsonb_to_recordset($4::jsonb) as t(n int, stage text, status text, detail jsonb, at timestamptz)
        order by t.n
      ), resolved as (
        update lens.dlq_entries set resolved_at = now()
        where event_id = (select event_id from claimed) and stage = 'evaluate' and resolved_at is null
      ), decided as (
        select x.decision_id, x.model, x.status, x.decision, x.confidence, x.entry_plan, x.risk_plan, x.size_pct, x.reasons, x.prompt_version,
               """ + DECIDED_AT + """
       as decided_at
        from (select * from inserted
              union all
              select d.decision_id, d.model, d.status, d.decision, d.confidence, d.entry_plan, d.risk_plan, d.size_pct, d.reasons, d.prompt_version, d.created_at
              from lens.model_decisions d where d.event_id = $1 and d.model not in (select model from inserted)) x
      ), messages as (
        select c.event_id, c.source, c.symbol, c.event_type, c.direction, x.*
        from claimed c, decided x
      ), outboxed as (
        insert into public.event_outbox (event_id, address, body, next_attempt_at)
        select m.decision_id, $5, """ + MESSAGE + """
      , now() + make_interval(secs => $6::double precision)
        from messages m
        on conflict (event_id) do nothing
      )
      select\s""" + MESSAGE + """
       as body
      from messages m order by m.model
      """;


  /** The bus message of every decision of the event (column {@code body}), by model. */
  static final String DECISIONS =
      """
      select\s""" + MESSAGE + """
       as body
      from (select e.event_id, e.source, e.symbol, e.event_type, e.direction, x.decision_id, x.model, x.status, x.decision, x.confidence,
                   x.entry_plan, x.risk_plan, x.size_pct, x.reasons, x.prompt_version, """ + DECIDED_AT + """
       as decided_at
            from lens.model_decisions x join lens.events e on e.event_id = x.event_id
            where x.event_id = $1) m
      order by m.model
      """;

  /**
   * After the worker published the decisions $4 itself, in one statement: their outbox rows marked
   * published (no publisher sends them again) and the event published, with its timeline row (node
   * $2, detail $3); answers its seconds from received to published, no row when it was not evaluated.
   */
  static final String MARK_PUBLISHED =
      """
      with sent as (
        update public.event_outbox set published_at = now() where event_id = any($4::uuid[]) and published_at is null
      ), marked as (
        update lens.events set status = 'published', published_at = now()
        where event_id = $1 and status = 'evaluated'
        returning event_id, extract(epoch from published_at - received_at)::float8 as end_to_end_s
      ), timeline as (
        insert into lens.processing_timeline (event_id, stage, status, node, detail)
        select event_id, 'published', 'ok', $2, $3 from marked
      )
      select end_to_end_s from marked
      """;

  /** A dead letter of stage evaluate, unless the event already has an open one. */
  static final String INSERT_DEAD_LETTER =
      """
      insert into lens.dlq_entries (event_id, stage, error, payload)
      select $1, 'evaluate', $2, $3
      where not exists (select 1 from lens.dlq_entries where event_id = $1 and stage = 'evaluate' and resolved_at is null)
      """;

  /** The event failed at evaluation (a published one stays published). */
  static final String MARK_FAILED =
      """
      update lens.events set status = 'failed'
      where event_id = $1 and status in ('enriched', 'evaluated', 'failed')
      returning event_id
      """;
}
