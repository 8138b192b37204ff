package ai.zmarty.demo;

/** Database A statements of the demo package. */
final class DemoSql {
  private DemoSql() {}

  /** The demo user's auth row (Supabase's {@code auth.users}, or the shim's outside Supabase). */
  static final String CREATE_AUTH_USER = "insert into auth.users (id, email) values ($1, $2) on conflict (id) do nothing";
}
