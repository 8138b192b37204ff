package ai.zmarty.router;

import static net.logstash.logback.argument.StructuredArguments.kv;

import java.util.LinkedHashMap;
import java.util.Map;
import net.logstash.logback.argument.StructuredArgument;

/**
 * The fields every log line of a chat carries, as JSON fields of their own (and {@code key=value}
 * in the text format): service, endpoint, user_id, request_id, provider, latency_ms, tokens
 * ({@code {input, output}}) and credits_charged. Put {@link #PATTERN} in the message, then extras.
 */
public final class ChatLog {
  /** The placeholders of {@link #fields}. */
  public static final String PATTERN = "{} {} {} {} {} {} {} {}";

  private ChatLog() {}

  /** The chat's fields; {@code provider} null before one answered, {@code latencyMs} since the request arrived. */
  public static StructuredArgument[] fields(String endpoint, Object user, String requestId, String provider, double latencyMs, long inputTokens, long outputTokens, long creditsCharged) {
    Map<String, Long> tokens = new LinkedHashMap<>(2);
    tokens.put("input", inputTokens);
    tokens.put("output", outputTokens);
    return new StructuredArgument[] {
      kv("service", "api"), kv("endpoint", endpoint), kv("user_id", String.valueOf(user)), kv("request_id", requestId), kv("provider", provider),
      kv("latency_ms", latencyMs), kv("tokens", tokens), kv("credits_charged", creditsCharged)
    };
  }

  /** {@code fields} followed by {@code extra} (for placeholders after {@link #PATTERN}). */
  public static Object[] with(StructuredArgument[] fields, Object... extra) {
    Object[] all = new Object[fields.length + extra.length];
    System.arraycopy(fields, 0, all, 0, fields.length);
    System.arraycopy(extra, 0, all, fields.length, extra.length);
    return all;
  }

  /** Milliseconds to a tenth. */
  public static double ms(long nanos) {
    return Math.round(nanos / 100_000.0) / 10.0;
  }
}
