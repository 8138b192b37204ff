package ai.zmarty.admin;

/**
 * The admin feed's own statements against database B: the outside-signal (lens) work's counts.
 * The lens package owns those tables; the dashboard only counts their rows, as the lens
 * migration (20260108000100_lens.sql) lays them out.
 */
final class AdminSql {
  private AdminSql() {}

  /** Events per status (queued, rejected, enriched, evaluated, published, failed). */
  static final String LENS_EVENTS_BY_STATUS = "select status, count(*) as n from lens.events group by status order by status";

  /** Dead-lettered lens messages not yet resolved, per stage (enrich, evaluate). */
  static final String LENS_OPEN_DLQ = "select stage, count(*) as n from lens.dlq_entries where resolved_at is null group by stage order by stage";
}
