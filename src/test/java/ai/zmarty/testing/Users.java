package ai.zmarty.testing;

import ai.zmarty.config.PgUrl;
import java.util.UUID;

/** Test users in database A, created the way the service role would. */
public final class Users {
  private Users() {}

  public static UUID create(PgUrl chat, String tier, long credits) {
    UUID id = UUID.randomUUID();
    Sql.exec(chat, "insert into auth.users (id) values ('" + id + "')");
    Sql.exec(chat, "insert into profiles (id, tier) values ('" + id + "', '" + tier + "')");
    if (credits > 0) {
      Sql.exec(chat, "insert into credits_ledger (user_id, delta, reason, request_id) values ('" + id + "', " + credits + ", 'test grant', 'grant-" + id + "')");
    }
    return id;
  }

  public static long balance(PgUrl chat, UUID user) {
    return Sql.count(chat, "select balance from credit_balance where user_id = '" + user + "'");
  }

  public static long ledgerSum(PgUrl chat, UUID user) {
    return Sql.count(chat, "select coalesce(sum(delta), 0) from credits_ledger where user_id = '" + user + "'");
  }
}
