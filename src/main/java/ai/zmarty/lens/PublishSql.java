package ai.zmarty.lens;

/** The publish side's SQL on database B (schema {@code lens}): source keys, scoring the judges, the leaderboard, replay. */
final class PublishSql {
  private PublishSql() {}


  /**
   * Unresolved decisions made at or before $1 (so their whole horizon has passed), oldest first, at
   * most $2, with the signal they judged.
   */
  static final String DUE_DECISIONS =
      """
      select d.decision_id, d.model, d.decision, d.risk_plan, d.created_at,
             e.symbol, e.direction, e.entry_price::float8 as entry_price, e.event_type
      from lens.model_decisions d join lens.events e on e.event_id = d.event_id
      where d.resolved_at is null and d.created_at <= $1
      order by d.created_at, d.decision_id
      limit $2""";

  /**
   * Resolves decisions given as parallel arrays ($1 ids, $2 outcomes or null for "not scored", $3
   * returns); a decision resolved meanwhile by another worker is left as it is.
   */
  static final String RESOLVE =
      """
      update lens.model_decisions d
      set outcome = r.outcome, outcome_return = r.ret, resolved_at = now()
      from unnest($1::uuid[], $2::text[], $3::float8[]) as r(id, outcome, ret)
      where d.decision_id = r.id and d.resolved_at is null""";

  /**
   * The decisions made since $1, each with the source of its signal and whether its call was
   * right: ENTER on a trade that won, WAIT or IGNORE on one that lost. Only {@code ok} decisions
   * are judged calls; the others are fallbacks.
   */
  private static final String CALLS =
      """
      with calls as (
        select d.event_id, d.model, e.source, d.status, d.decision, d.confidence, d.cost,
               d.outcome, d.outcome_return,
               d.status = 'ok' and d.outcome in ('win', 'loss') as judged,
               (d.decision = 'ENTER') = (d.outcome = 'win') as correct
        from lens.model_decisions d join lens.events e on e.event_id = d.event_id
        where d.created_at >= $1)
      """;

  /** The figures of one leaderboard row, over the calls of a group ({@code %s}: model or source). */
  private static final String FIGURES =
      """
      count(*) as decisions,
      count(*) filter (where status <> 'ok') as fallbacks,
      count(*) filter (where judged) as resolved,
      count(*) filter (where judged and correct) as correct,
      sum(power(confidence - case when correct then 1 else 0 end, 2)) filter (where judged) as brier_sum,
      avg(outcome_return) filter (where judged and decision = 'ENTER') as mean_return,
      coalesce(sum(cost), 0)::float8 as cost""";

  /** One row per model, then one per source ($1: decided since). */
  static final String LEADERBOARD_GROUPS =
      CALLS
          + "select 'model' as kind, model as name, " + FIGURES + " from calls group by model\n"
          + "union all\n"
          + "select 'source' as kind, source as name, " + FIGURES + " from calls group by source\n"
          + "order by kind, name";

  /**
   * The majority vote of all models ($1: decided since): per signal, the side most {@code ok}
   * decisions took (ENTER against staying out; a tie casts no vote), right when the trades of the
   * models on that side mostly won (ENTER) or mostly lost (staying out). Its confidence is the
   * winning side's share of the votes, its return the mean of those models' returns, its cost that
   * of every model asked about the signal.
   */
  static final String LEADERBOARD_VOTE =
      CALLS
          + """
          , sides as (
            select event_id,
                   count(*) filter (where status = 'ok' and decision = 'ENTER') as enter,
                   count(*) filter (where status = 'ok' and decision <> 'ENTER') as stay,
                   sum(cost) as cost
            from calls group by event_id),
          votes as (
            select s.event_id, s.enter > s.stay as enter, greatest(s.enter, s.stay)::float8 / (s.enter + s.stay) as share, s.cost,
                   count(*) filter (where c.outcome in ('win', 'loss')) as resolved,
                   count(*) filter (where c.outcome = 'win') as wins,
                   avg(c.outcome_return) as ret
            from sides s join calls c on c.event_id = s.event_id and c.status = 'ok' and (c.decision = 'ENTER') = (s.enter > s.stay)
            where s.enter <> s.stay
            group by s.event_id, s.enter, s.stay, s.cost),
          judged as (
            select enter, share, cost, ret, resolved > 0 as judged, (wins * 2 > resolved) = enter as correct from votes)
          select count(*) as decisions, 0::bigint as fallbacks,
                 count(*) filter (where judged) as resolved,
                 count(*) filter (where judged and correct) as correct,
                 sum(power(share - case when correct then 1 else 0 end, 2)) filter (where judged) as brier_sum,
                 avg(ret) filter (where judged and enter) as mean_return,
                 coalesce(sum(cost), 0)::float8 as cost
          from judged""";

  /** Stored enriched payloads of signals received in [$1, $2), with the decisions made on them ($3: models, null for all; $4: prompt version, null for any). */
  static final String REPLAY_INPUTS =
      """
      select e.event_id, e.source, e.symbol, e.event_type, e.direction, e.entry_price::float8 as entry_price, e.size::float8 as size,
             e.liquidation_price::float8 as liquidation_price, e.ts_utc, e.feature_profile, e.received_at, x.model_payload,
             coalesce(jsonb_agg(jsonb_build_object('model', d.model, 'status', d.status, 'decision', d.decision,
                        'confidence', d.confidence, 'prompt_version', d.prompt_version) order by d.model)
                      filter (where d.decision_id is not null), '[]'::jsonb) as decisions
      from lens.events e
      join lens.enriched_events x on x.event_id = e.event_id
      left join lens.model_decisions d on d.event_id = e.event_id
        and ($3::text[] is null or d.model = any($3))
        and ($4::text is null or d.prompt_version = $4)
      where e.received_at >= $1 and e.received_at < $2
      group by e.event_id, x.model_payload
      order by e.received_at, e.event_id
      limit $5""";
}
