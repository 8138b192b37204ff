package ai.zmarty.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules a user token must meet besides its signature, as plain checks with messages a client
 * can act on: the header names a real algorithm and no critical extension we do not implement;
 * {@code exp}, {@code nbf} and {@code iat} are NumericDates, {@code aud} a string or a list of
 * strings; the token has not expired, is already valid, names our audience and a user id.
 */
final class JwtClaims {
  /** Clock skew allowed between the token's issuer and this node, in seconds. */
  static final long LEEWAY_S = 5;

  private JwtClaims() {}

  /** A token's decoded header and payload (not yet verified). */
  record Token(JsonObject header, JsonObject payload) {}

  /** Decodes a compact JWS; empty when it is not three base64url parts with JSON objects in the first two. */
  static Optional<Token> decode(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Token(json(parts[0]), json(parts[1])));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static JsonObject json(String part) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
  }

  /** What is wrong with the token's form, checked before its signature: the library only ever sees well-typed claims. */
  static Optional<String> formProblem(String token, Token t) {
    if (token.endsWith(".") || !(t.header().getValue("alg") instanceof String alg) || alg.toLowerCase(Locale.ROOT).equals("none")) {
      return Optional.of("unsigned tokens are not accepted");
    }
    if (t.header().containsKey("crit")) {
      return Optional.of("unsupported critical header parameter(s) " + t.header().getValue("crit"));
    }
    for (String claim : List.of("exp", "nbf", "iat")) {
      Object v = t.payload().getValue(claim);
      if (v != null && !(v instanceof Number n && Double.isFinite(n.doubleValue()))) {
        return Optional.of(claim + " must be a NumericDate (seconds since 1970)");
      }
    }
    Object aud = t.payload().getValue("aud");
    if (aud != null && !(aud instanceof String) && !(aud instanceof JsonArray a && a.stream().allMatch(x -> x instanceof String))) {
      return Optional.of("aud must be a string or a list of strings");
    }
    for (String claim : List.of("sub", "role")) {
      Object v = t.payload().getValue(claim);
      if (v != null && !(v instanceof String)) {
        return Optional.of(claim + " must be a string");
      }
    }
    return Optional.empty();
  }

  /** What is wrong with the verified claims at {@code nowS} (seconds since 1970), or empty. */
  static Optional<String> claimProblem(JsonObject claims, String audience, boolean allowNoExp, long nowS) {
    Number exp = (Number) claims.getValue("exp");
    if (exp == null && !allowNoExp) {
      return Optional.of("the token has no expiry (exp)");
    }
    if (exp != null && nowS - LEEWAY_S >= exp.doubleValue()) {
      return Optional.of("expired");
    }
    Number nbf = (Number) claims.getValue("nbf");
    if (nbf != null && nbf.doubleValue() > nowS + LEEWAY_S) {
      return Optional.of("not yet valid (nbf is in the future)");
    }
    Number iat = (Number) claims.getValue("iat");
    if (iat != null && iat.doubleValue() > nowS + LEEWAY_S) {
      return Optional.of("issued in the future (iat)");
    }
    Object aud = claims.getValue("aud");
    boolean ours = aud instanceof String s ? s.equals(audience) : aud instanceof JsonArray a && a.contains(audience);
    if (!ours) {
      return Optional.of("wrong audience");
    }
    if (Uuids.canonical(claims.getValue("sub")).isEmpty()) {
      return Optional.of("the subject (sub) must be a user id (a UUID)");
    }
    return Optional.empty();
  }
}
