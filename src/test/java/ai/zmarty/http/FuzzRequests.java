package ai.zmarty.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A seeded generator of hostile requests for one route: odd methods, mangled paths and queries,
 * bad and good tokens, and bodies that are malformed JSON, wrong types, NUL bytes, lone
 * surrogates, deep nesting, oversized or multipart uploads. The same seed gives the same requests.
 */
final class FuzzRequests {
  /** One request to send. */
  record Request(HttpMethod method, String uri, Map<String, String> headers, byte[] body) {
    @Override
    public String toString() {
      return method + " " + (uri.length() > 120 ? uri.substring(0, 120) + "…" : uri) + " headers=" + headers.keySet() + " body=" + body.length + "B";
    }
  }

  private static final HttpMethod[] ODD_METHODS = {HttpMethod.PATCH, HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.GET, HttpMethod.POST, HttpMethod.valueOf("FOO")};
  private static final String[] SEGMENTS = {
    "BTC%2FUSDT", "1h", "%00", "%zz", "%", "..%2F..%2Fetc%2Fpasswd", "1-1-1-1-1", "x".repeat(3000), "%F0%9F%92%A9", "%ED%A0%80", "'%3B%20drop%20table%20watchers%3B--", "",
    "ETH-PERP", "17y", "a%2Fb%2Fc", "%2e%2e", "null", "-1", "9999999999999999999999",
  };
  private static final String[] QUERIES = {"", "?limit=-1", "?limit=abc", "?limit=%zz", "?symbol=%00", "?symbol=BTC/USDT&source=estimate", "?symbol=BTC/USDT&source=kingfisher", "?limit=100000000000",
    "?symbol=" + "S".repeat(2000), "?%zz=1", "?a=%", "?limit=5", "?cursor=WyJ4IiwieSJd&status=queued", "?since=2026-01-01T00:00:00Z&until=2025-01-01T00:00:00Z",
    "?stage=enrich&resolved=true", "?decision=ENTER&model=gpt"};
  private static final String[] FIELDS = {"message", "symbol", "timeframe", "user_id", "amount", "reason", "session_id", "mode", "type", "record", "table", "event_id",
    "event_type", "signal_direction", "entry_price", "ts_utc", "source", "feature_profile", "idempotency_key", "size"};

  private final Random random;
  private final List<String> tokens;
  private final List<UUID> users;
  /** Lens source keys (good, revoked, unknown) sent as {@code X-API-Key} on a third of the requests. */
  private final List<String> apiKeys;

  FuzzRequests(long seed, List<String> tokens, List<UUID> users) {
    this(seed, tokens, users, List.of());
  }

  FuzzRequests(long seed, List<String> tokens, List<UUID> users, List<String> apiKeys) {
    this.random = new Random(seed);
    this.tokens = tokens;
    this.users = users;
    this.apiKeys = apiKeys;
  }

  /** A request aimed at {@code path} (a route's path: {@code :param} and a trailing {@code *} are filled in). */
  Request next(String path, List<HttpMethod> methods) {
    HttpMethod method = random.nextInt(10) < 8 ? methods.get(random.nextInt(methods.size())) : ODD_METHODS[random.nextInt(ODD_METHODS.length)];
    StringBuilder uri = new StringBuilder();
    for (String part : path.split("/", -1)) {
      if (uri.length() > 0 || !part.isEmpty()) {
        uri.append('/');
      }
      uri.append(part.startsWith(":") || part.equals("*") ? segment() : part);
    }
    if (path.endsWith("*") || random.nextInt(8) == 0) {
      uri.append('/').append(segment());
    }
    if (uri.length() == 0) {
      uri.append('/'); // the route "/" itself
    }
    uri.append(QUERIES[random.nextInt(QUERIES.length)]);
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    if (random.nextInt(8) > 0) {
      headers.put("Authorization", "Bearer " + tokens.get(random.nextInt(tokens.size())));
    }
    if (!apiKeys.isEmpty() && random.nextInt(3) == 0) {
      headers.put("X-API-Key", apiKeys.get(random.nextInt(apiKeys.size())));
    }
    if (random.nextInt(4) == 0) {
      headers.put("Accept", "text/event-stream");
    }
    if (random.nextInt(5) == 0) {
      headers.put("Idempotency-Key", random.nextBoolean() ? UUID.randomUUID().toString() : "k".repeat(random.nextInt(400)));
    }
    byte[] body = body(headers);
    return new Request(method, uri.toString(), headers, body);
  }

  private String segment() {
    return random.nextInt(4) == 0 ? users.get(random.nextInt(users.size())).toString() : SEGMENTS[random.nextInt(SEGMENTS.length)];
  }

  private byte[] body(Map<String, String> headers) {
    int kind = random.nextInt(12);
    String text;
    switch (kind) {
      case 0 -> text = "";
      case 1 -> text = "{\"message\": \"unterminated";
      case 2 -> text = "{\"bad escape\": \"\\x41\", \"u\": \"\\u12\"}";
      case 3 -> text = "[".repeat(1500 + random.nextInt(3000)) + "]".repeat(10);
      case 4 -> text = "{\"message\":\"" + "m".repeat(65 * 1024 + random.nextInt(10_000)) + "\"}";
      case 5 -> text = "{\"message\":\"hi\\u0000there\",\"reason\":\"r\\u0000\",\"symbol\":\"BTC\\u0000/USDT\",\"timeframe\":\"1h\"}";
      case 6 -> text = "{\"message\":\"lone \\ud800 surrogate\",\"reason\":\"\\udc00\"}";
      case 7 -> {
        String boundary = "B" + random.nextInt(1_000_000);
        headers.put("Content-Type", "multipart/form-data; boundary=" + boundary);
        text = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n" + "z".repeat(random.nextInt(20_000))
            + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nhello\r\n--" + boundary + "--\r\n";
        return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      }
      case 8 -> text = "null";
      case 9 -> text = new JsonArray().add(1).add("two").encode();
      default -> text = object().encode();
    }
    if (random.nextInt(6) > 0) {
      headers.put("Content-Type", random.nextInt(5) == 0 ? "application/x-www-form-urlencoded" : "application/json");
    }
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** An object with the routes' field names holding right and wrong types. */
  private JsonObject object() {
    JsonObject o = new JsonObject();
    for (String field : FIELDS) {
      if (random.nextInt(3) == 0) {
        continue;
      }
      o.put(field, value(field));
    }
    return o;
  }

  private Object value(String field) {
    return switch (random.nextInt(14)) {
      case 0 -> null;
      case 1 -> random.nextInt();
      case 2 -> new java.math.BigInteger("18446744073714551616");
      case 3 -> 1.9;
      case 4 -> true;
      case 5 -> new JsonObject().put("nested", new JsonArray().add(field));
      case 6 -> "x".repeat(random.nextInt(6000));
      case 7 -> users.get(random.nextInt(users.size())).toString();
      case 8 -> "1-1-1-1-1";
      case 9 -> "BTC/USDT";
      case 10 -> "1h";
      case 11 -> random.nextBoolean() ? "voice" : "text";
      case 12 -> List.of("INSERT", "UPDATE", "DELETE").get(random.nextInt(3));
      default -> "What's the signal for BTC?";
    };
  }

  static List<HttpMethod> methods(java.util.Set<HttpMethod> declared) {
    return declared == null || declared.isEmpty() ? List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE) : new ArrayList<>(declared);
  }
}
