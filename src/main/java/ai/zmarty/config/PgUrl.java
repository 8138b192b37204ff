package ai.zmarty.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code postgres://user:password@host:port/database?sslmode=…} URL, as Supabase and most hosts
 * print it, with the two forms the program needs: Vert.x connect options and a JDBC URL.
 */
public record PgUrl(String host, int port, String database, String user, String password, Map<String, String> params) {

  public static PgUrl parse(String key, String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "is not a valid URL (" + e.getReason() + ")");
    }
    if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
      throw new ConfigException(key, "must start with postgres:// or postgresql://");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw new ConfigException(key, "has no host");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String database = decode(path.startsWith("/") ? path.substring(1) : path);
    if (database.isBlank()) {
      throw new ConfigException(key, "has no database name (…/dbname)");
    }
    String user = "postgres";
    String password = "";
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : "";
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        if (!pair.isEmpty()) {
          String[] kv = pair.split("=", 2);
          params.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
        }
      }
    }
    return new PgUrl(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database, user, password, Map.copyOf(params));
  }

  public static PgUrl local(int port, String database) {
    return new PgUrl("localhost", port, database, "postgres", "", Map.of());
  }

  public PgUrl withDatabase(String other) {
    return new PgUrl(host, port, other, user, password, params);
  }

  public boolean requiresSsl() {
    String mode = params.getOrDefault("sslmode", "disable");
    return mode.equals("require") || mode.startsWith("verify");
  }

  /**
   * Whether connections keep their statements prepared on the server (parsed and planned once per
   * connection, not at every call). {@code prepareThreshold=0} in the URL turns it off, as for
   * pgjdbc: a pooler in transaction mode (PgBouncer, Supavisor on port 6543) may hand each
   * transaction a different server connection, where a statement prepared on another is unknown.
   */
  public boolean keepsStatementsPrepared() {
    return !"0".equals(params.get("prepareThreshold"));
  }

  public String jdbcUrl() {
    StringBuilder sb = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append('/').append(database);
    String sep = "?";
    for (String key : List.of("sslmode", "prepareThreshold")) { // the parameters pgjdbc reads the same way
      String value = params.get(key);
      if (value != null) {
        sb.append(sep).append(key).append('=').append(value);
        sep = "&";
      }
    }
    return sb.toString();
  }

  /** For logs: never prints the password. */
  @Override
  public String toString() {
    return "postgres://" + user + "@" + host + ":" + port + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
