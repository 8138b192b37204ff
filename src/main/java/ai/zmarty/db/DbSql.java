package ai.zmarty.db;

/** The statements of the db package: acting as a user on A, and creating a database. */
final class DbSql {
  private DbSql() {}

  /** The caller's JWT claims, transaction-local, as PostgREST sets them ($1: the claims as JSON text). */
  static final String SET_CLAIMS = "select set_config('request.jwt.claims', $1, true)";

  static final String SET_ROLE_AUTHENTICATED = "set local role authenticated";

  /** JDBC: one row when database {@code ?} exists. */
  static final String DATABASE_EXISTS = "select 1 from pg_database where datname = ?";

  /** {@code create database} of a quoted identifier (DDL takes no parameters). */
  static String createDatabase(String database) {
    return "create database \"" + database.replace("\"", "\"\"") + "\"";
  }

  /** Every new session of {@code database} commits synchronously (a quoted identifier, as above). */
  static String synchronousCommitOn(String database) {
    return "alter database \"" + database.replace("\"", "\"\"") + "\" set synchronous_commit = on";
  }
}
