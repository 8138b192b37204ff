package ai.zmarty.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which request framings are accepted. Every body here is a small JSON document, so a body must
 * come with a Content-Length. Any Transfer-Encoding is refused: the decoder quietly resolves a
 * request carrying both Content-Length and chunked (and unfolds an obsolete folded
 * {@code Transfer-Encoding:\r\n chunked}), where a proxy in front may read the same bytes
 * differently, which is how a second request gets smuggled past it. A query string that does not
 * decode, and a form body (multipart or urlencoded) on a method that cannot carry one, are refused
 * here too, before any handler would fail on them, and so is a request target that is not a path. Refused requests also close their connection,
 * so nothing after them on it is read.
 */
final class Framing {
  private static final Set<HttpMethod> FORM_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  private Framing() {}

  /** Why a request is refused: its status and message. */
  record Refusal(int status, String message) {}

  /** Why {@code req} is refused before routing, or empty when it may go on. */
  static Optional<Refusal> refusal(HttpServerRequest req) {
    String path = req.path();
    if (path == null || !path.startsWith("/")) {
      // e.g. "GET ?a=1" or "OPTIONS *": the router only takes paths, and would fail on these with a 500
      return Optional.of(new Refusal(400, "the request target must be a path starting with / (got '" + req.uri() + "')"));
    }
    Optional<String> framing = refusal(req.headers());
    if (framing.isPresent()) {
      return Optional.of(new Refusal(400, framing.get()));
    }
    String type = req.getHeader("content-type");
    if (type != null && isForm(type) && !FORM_METHODS.contains(req.method())) {
      return Optional.of(new Refusal(415, "a form body is only read with POST, PUT, PATCH or DELETE; this API takes JSON"));
    }
    try {
      req.params();
    } catch (IllegalArgumentException e) {
      return Optional.of(new Refusal(400, "malformed query string: a % must be followed by two hex digits"));
    }
    return Optional.empty();
  }

  static boolean isForm(String contentType) {
    String t = contentType.toLowerCase(Locale.ROOT);
    return t.startsWith("multipart/") || t.startsWith("application/x-www-form-urlencoded");
  }

  /** Why {@code headers} are refused, or empty when the request may go on. */
  static Optional<String> refusal(MultiMap headers) {
    if (headers.contains("transfer-encoding")) {
      return Optional.of("Transfer-Encoding is not accepted: send the body with a Content-Length");
    }
    return Optional.empty();
  }
}
