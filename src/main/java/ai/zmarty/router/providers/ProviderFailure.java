package ai.zmarty.router.providers;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a provider call failed, in the few kinds routing cares about: whether trying again later
 * could help ({@link Kind#retryable()}) and when ({@link #retryAfter()}).
 */
public final class ProviderFailure extends RuntimeException {

  public enum Kind {
    /** 429 for too many requests or tokens per minute. */
    RATE_LIMITED(true),
    /** Out of money or quota (OpenAI insufficient_quota, Anthropic enforced_spend_limit_reached, daily quotas): retrying will not help soon. */
    QUOTA_EXHAUSTED(false),
    /** 503/529, Anthropic overloaded_error. */
    OVERLOADED(true),
    /** Other 5xx and error events mid-stream. */
    SERVER_ERROR(true),
    /** 400/404/422, or a prompt the provider refuses. */
    BAD_REQUEST(false),
    /** 401/403: the key is wrong or lacks access. */
    AUTH(false),
    CONNECT_TIMEOUT(true),
    FIRST_BYTE_TIMEOUT(true),
    IDLE_TIMEOUT(true),
    /** Connection refused, reset, or closed before the answer was complete. */
    CONNECTION_FAILED(true),
    /** The client went away before any output; not the provider's fault. */
    CANCELLED(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final String provider;
  private final Kind kind;
  private final Duration retryAfter;

  public ProviderFailure(String provider, Kind kind, String message, Duration retryAfter) {
    super(provider + ": " + kind.name().toLowerCase(Locale.ROOT) + ": " + message, null, false, false);
    this.provider = provider;
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  public ProviderFailure(String provider, Kind kind, String message) {
    this(provider, kind, message, null);
  }

  public String provider() {
    return provider;
  }

  public Kind kind() {
    return kind;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  private static final Pattern SECONDS = Pattern.compile("(\\d+(?:\\.\\d+)?)s?");

  /**
   * Maps a non-200 answer: status, {@code retry-after} header, and the error body of any of the
   * supported wire formats (OpenAI/xAI {@code error} object or string, Anthropic {@code
   * error.type}, Gemini {@code error.status} with {@code RetryInfo}).
   */
  public static ProviderFailure fromHttp(String provider, int status, MultiMap headers, String body) {
    String codes = "";
    String message = body == null ? "" : body;
    Duration retryAfter = parseSeconds(headers == null ? null : headers.get("retry-after"));
    try {
      JsonObject json = new JsonObject(body);
      Object error = json.getValue("error");
      if (error instanceof JsonObject e) {
        codes = String.join(" ", str(e.getValue("type")), str(e.getValue("code")), str(e.getValue("status")));
        message = str(e.getValue("message"));
        if (retryAfter == null && e.getValue("details") instanceof JsonArray details) {
          for (Object d : details) {
            if (d instanceof JsonObject detail && detail.getString("retryDelay") != null) {
              retryAfter = parseSeconds(detail.getString("retryDelay"));
            }
          }
        }
      } else if (error instanceof String e) {
        codes = str(json.getValue("code"));
        message = e;
      }
    } catch (RuntimeException notJson) {
      // keep the raw body as the message
    }
    String signature = (codes + " " + message).toLowerCase(Locale.ROOT);
    if (message.length() > 300) {
      message = message.substring(0, 300) + "…";
    }
    String detail = status + (codes.isBlank() ? "" : " " + codes.trim().replaceAll("\\s+", " ")) + (message.isBlank() ? "" : ": " + message);
    Kind kind;
    String raw = body == null ? "" : body.toLowerCase(Locale.ROOT);
    // per-day quotas (Gemini's quotaId …PerDay…) do not reset soon: treat them like an empty account
    if (signature.contains("insufficient_quota") || signature.contains("enforced_spend_limit") || signature.contains("spending limit") || raw.contains("perday") || status == 402) {
      kind = Kind.QUOTA_EXHAUSTED;
    } else if (status == 429 || signature.contains("rate_limit")) {
      kind = Kind.RATE_LIMITED;
    } else if (status == 529 || status == 503 || signature.contains("overloaded")) {
      kind = Kind.OVERLOADED;
    } else if (status >= 500) {
      kind = Kind.SERVER_ERROR;
    } else if (status == 401 || status == 403) {
      kind = Kind.AUTH;
    } else {
      kind = Kind.BAD_REQUEST;
    }
    return new ProviderFailure(provider, kind, detail, kind.retryable() ? retryAfter : null);
  }

  /** An error event inside a stream that started with HTTP 200 (Anthropic {@code overloaded_error}, OpenAI {@code error} chunks). */
  public static ProviderFailure fromStreamError(String provider, JsonObject error) {
    String type = String.join(" ", str(error.getValue("type")), str(error.getValue("code")), str(error.getValue("status"))).trim();
    String t = type.toLowerCase(Locale.ROOT);
    Kind kind;
    if (t.contains("overloaded")) {
      kind = Kind.OVERLOADED;
    } else if (t.contains("insufficient_quota") || t.contains("enforced_spend_limit")) {
      kind = Kind.QUOTA_EXHAUSTED;
    } else if (t.contains("rate_limit") || t.contains("resource_exhausted")) {
      kind = Kind.RATE_LIMITED;
    } else if (t.contains("invalid_request")) {
      kind = Kind.BAD_REQUEST;
    } else {
      kind = Kind.SERVER_ERROR;
    }
    return new ProviderFailure(provider, kind, "error event in the stream: " + type + (error.getString("message") == null ? "" : ": " + error.getString("message")));
  }

  static Duration parseSeconds(String value) {
    if (value == null) {
      return null;
    }
    Matcher m = SECONDS.matcher(value.trim());
    if (!m.matches()) {
      return null; // an HTTP date: rare from these providers, ignored
    }
    return Duration.ofMillis((long) Math.ceil(Double.parseDouble(m.group(1)) * 1000));
  }

  private static String str(Object v) {
    return v == null ? "" : v.toString();
  }
}
