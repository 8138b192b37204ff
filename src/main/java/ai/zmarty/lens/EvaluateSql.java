package ai.zmarty.lens;

/** The statements of the lens evaluation worker (schema {@code lens} of database B). */
final class EvaluateSql {
  private EvaluateSql() {}

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
   * The event becomes evaluated, once: a second delivery evaluating at the same time waits on the
   * row lock, then finds the status changed and updates nothing.
   */
  static final String CLAIM_EVALUATED =
      """
      update lens.events set status = 'evaluated', evaluated_at = now()
      where event_id = $1 and status in ('enriched', 'failed')
      returning event_id
      """;

  /** One model's row; a row the event already has for that model is kept (redelivery). */
  static final String INSERT_DECISION =
      """
      insert into lens.model_decisions (event_id, model, status, decision, confidence, entry_plan, risk_plan, size_pct, reasons,
                                        raw_answer, error_code, error_message, prompt_version, prompt_hash, latency_ms,
                                        tokens_in, tokens_out, cost)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18::float8)
      on conflict (event_id, model) do nothing
      """;

  /** A success ends the event's open evaluate dead letters. */
  static final String RESOLVE_DEAD_LETTERS =
      """
      update lens.dlq_entries set resolved_at = now()
      where event_id = $1 and stage = 'evaluate' and resolved_at is null
      """;

  /** Every decision of the event with what the bus message needs of the event. */
  static final String DECISIONS =
      """
      select e.event_id, e.source, e.symbol, e.event_type, e.direction, d.model, d.status, d.decision, d.confidence,
             d.entry_plan, d.risk_plan, d.size_pct, d.reasons, d.prompt_version, d.created_at
      from lens.model_decisions d join lens.events e on e.event_id = d.event_id
      where d.event_id = $1
      order by d.model
      """;

  static final String MARK_PUBLISHED =
      """
      update lens.events set status = 'published', published_at = now()
      where event_id = $1 and status = 'evaluated'
      returning event_id
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
