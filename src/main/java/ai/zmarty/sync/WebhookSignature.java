package ai.zmarty.sync;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks the A→B sync webhook: {@code x-hmac-sha256} is the hex HMAC-SHA256, keyed with
 * the shared secret, of {@code "<x-zmarty-timestamp>.<raw body>"}; the timestamp (unix seconds)
 * must be within the tolerance of the receiver's clock, in both directions, so a captured
 * delivery cannot be replayed later. Comparison is constant-time over the raw bytes received.
 */
public final class WebhookSignature {
  public static final String TIMESTAMP_HEADER = "x-zmarty-timestamp";
  public static final String SIGNATURE_HEADER = "x-hmac-sha256";
  public static final String ID_HEADER = "webhook-id";

  /** Why a delivery was refused, or {@link #VALID}. */
  public enum Verdict {
    VALID("valid"),
    MISSING_HEADERS("missing " + TIMESTAMP_HEADER + " or " + SIGNATURE_HEADER + " header"),
    BAD_TIMESTAMP(TIMESTAMP_HEADER + " is not a whole number of unix seconds"),
    TOO_OLD("timestamp is older than the tolerance allows"),
    TOO_NEW("timestamp is further in the future than the tolerance allows"),
    BAD_SIGNATURE("signature does not match the body");

    private final String message;

    Verdict(String message) {
      this.message = message;
    }

    public boolean valid() {
      return this == VALID;
    }

    public String message() {
      return message;
    }
  }

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final Duration tolerance;

  public WebhookSignature(String secret, Duration tolerance) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("webhook secret must not be empty");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.tolerance = tolerance;
  }

  /** The {@code x-hmac-sha256} value for {@code body} sent at {@code timestamp}. */
  public String sign(String timestamp, byte[] body) {
    return HexFormat.of().formatHex(mac(timestamp, body));
  }

  public String sign(long epochSeconds, byte[] body) {
    return sign(Long.toString(epochSeconds), body);
  }

  /** Checks the two headers (null when absent) against the raw body at {@code now}. */
  public Verdict verify(String timestamp, String signature, byte[] body, Instant now) {
    if (timestamp == null || signature == null || timestamp.isBlank() || signature.isBlank()) {
      return Verdict.MISSING_HEADERS;
    }
    long sentAt;
    try {
      sentAt = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return Verdict.BAD_TIMESTAMP;
    }
    long skew = now.getEpochSecond() - sentAt;
    if (skew > tolerance.toSeconds()) {
      return Verdict.TOO_OLD;
    }
    if (-skew > tolerance.toSeconds()) {
      return Verdict.TOO_NEW;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(signature.trim());
    } catch (IllegalArgumentException e) {
      return Verdict.BAD_SIGNATURE;
    }
    // The MAC is over the timestamp exactly as it was sent, so it is covered by the signature too.
    return MessageDigest.isEqual(mac(timestamp.trim(), body), given) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
  }

  private byte[] mac(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
