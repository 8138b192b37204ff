package ai.zmarty.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.sync.WebhookSignature.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final Instant NOW = Instant.parse("2026-01-02T10:00:00Z");
  private static final String TS = Long.toString(NOW.getEpochSecond());
  private static final byte[] BODY = "{\"type\": \"INSERT\", \"table\": \"user_symbols\"}".getBytes(StandardCharsets.UTF_8);

  private final WebhookSignature signer = new WebhookSignature(SECRET, Duration.ofSeconds(300));

  @Test
  void matchesAnIndependentlyComputedHmacOverTimestampDotBody() throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = java.util.HexFormat.of().formatHex(mac.doFinal((TS + "." + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
    assertThat(signer.sign(TS, BODY)).isEqualTo(expected).hasSize(64);
  }

  @Test
  void signsTheVectorTheEdgeFunctionTestAlsoChecks() {
    // supabase/functions/watchers-upsert/verify_test.ts asserts the same value with crypto.subtle.
    assertThat(signer.sign("1767348000", BODY)).isEqualTo("0e7c01e7037e3afa7779669d5ebf98a0954d0eb6f60cae48828fbf3a5c686f43");
  }

  @Test
  void acceptsAValidSignature() {
    assertThat(signer.verify(TS, signer.sign(TS, BODY), BODY, NOW)).isEqualTo(Verdict.VALID);
  }

  @Test
  void acceptsUpperCaseHex() {
    assertThat(signer.verify(TS, signer.sign(TS, BODY).toUpperCase(), BODY, NOW)).isEqualTo(Verdict.VALID);
  }

  @Test
  void refusesATamperedBody() {
    byte[] tampered = "{\"type\": \"DELETE\", \"table\": \"user_symbols\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(signer.verify(TS, signer.sign(TS, BODY), tampered, NOW)).isEqualTo(Verdict.BAD_SIGNATURE);
  }

  @Test
  void refusesAReformattedBodyBecauseTheRawBytesAreSigned() {
    byte[] compact = "{\"type\":\"INSERT\",\"table\":\"user_symbols\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(signer.verify(TS, signer.sign(TS, BODY), compact, NOW)).isEqualTo(Verdict.BAD_SIGNATURE);
  }

  @Test
  void refusesASignatureMadeWithAnotherSecret() {
    WebhookSignature other = new WebhookSignature("another-secret-another-secret-000", Duration.ofSeconds(300));
    assertThat(signer.verify(TS, other.sign(TS, BODY), BODY, NOW)).isEqualTo(Verdict.BAD_SIGNATURE);
  }

  @Test
  void refusesASignatureReplayedWithAnotherTimestamp() {
    String later = Long.toString(NOW.getEpochSecond() + 10);
    assertThat(signer.verify(later, signer.sign(TS, BODY), BODY, NOW)).isEqualTo(Verdict.BAD_SIGNATURE);
  }

  @Test
  void refusesAStaleTimestamp() {
    String old = Long.toString(NOW.getEpochSecond() - 301);
    assertThat(signer.verify(old, signer.sign(old, BODY), BODY, NOW)).isEqualTo(Verdict.TOO_OLD);
  }

  @Test
  void acceptsTheEdgesOfTheWindow() {
    String old = Long.toString(NOW.getEpochSecond() - 300);
    String ahead = Long.toString(NOW.getEpochSecond() + 300);
    assertThat(signer.verify(old, signer.sign(old, BODY), BODY, NOW)).isEqualTo(Verdict.VALID);
    assertThat(signer.verify(ahead, signer.sign(ahead, BODY), BODY, NOW)).isEqualTo(Verdict.VALID);
  }

  @Test
  void refusesATimestampTooFarInTheFuture() {
    String ahead = Long.toString(NOW.getEpochSecond() + 301);
    assertThat(signer.verify(ahead, signer.sign(ahead, BODY), BODY, NOW)).isEqualTo(Verdict.TOO_NEW);
  }

  @Test
  void refusesMissingHeaders() {
    String sig = signer.sign(TS, BODY);
    assertThat(signer.verify(null, sig, BODY, NOW)).isEqualTo(Verdict.MISSING_HEADERS);
    assertThat(signer.verify(TS, null, BODY, NOW)).isEqualTo(Verdict.MISSING_HEADERS);
    assertThat(signer.verify("", "", BODY, NOW)).isEqualTo(Verdict.MISSING_HEADERS);
  }

  @Test
  void refusesMalformedHeaders() {
    assertThat(signer.verify("yesterday", signer.sign(TS, BODY), BODY, NOW)).isEqualTo(Verdict.BAD_TIMESTAMP);
    assertThat(signer.verify(TS, "not-hex", BODY, NOW)).isEqualTo(Verdict.BAD_SIGNATURE);
    assertThat(signer.verify(TS, "abcd", BODY, NOW)).isEqualTo(Verdict.BAD_SIGNATURE);
  }

  @Test
  void anEmptySecretIsRefused() {
    assertThatThrownBy(() -> new WebhookSignature("", Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
  }
}
