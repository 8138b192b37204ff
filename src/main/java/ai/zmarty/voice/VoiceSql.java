package ai.zmarty.voice;

/** The statements of the database audio cache (database A, table {@code audio_cache}). */
final class VoiceSql {
  private VoiceSql() {}

  static final String CONTAINS = "select exists (select 1 from public.audio_cache where hash = $1) as kept";

  /** Two nodes speaking the same answer at once keep one row. */
  static final String PUT =
      "insert into public.audio_cache (hash, audio, bytes) values ($1, $2, $3) on conflict (hash) do nothing";

  static final String GET = "select audio from public.audio_cache where hash = $1";

  /**
   * Removes the oldest rows (ties by hash, so every node decides alike) until the rest hold at most
   * $1 bytes; returns how many went. One statement: concurrent trims remove nothing twice.
   */
  static final String TRIM =
      """
      with ranked as (
        select hash, sum(bytes) over (order by created_at desc, hash desc) as kept_bytes
        from public.audio_cache
      )
      delete from public.audio_cache a using ranked r where a.hash = r.hash and r.kept_bytes > $1
      """;
}
