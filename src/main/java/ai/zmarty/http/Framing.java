package ai.zmarty.http;

import io.vertx.core.MultiMap;
import java.util.Optional;

/**
 * Which request framings are accepted. Every body here is a small JSON document, so a body must
 * come with a Content-Length. Any Transfer-Encoding is refused: the decoder quietly resolves a
 * request carrying both Content-Length and chunked (and unfolds an obsolete folded
 * {@code Transfer-Encoding:\r\n chunked}), where a proxy in front may read the same bytes
 * differently, which is how a second request gets smuggled past it. Refused requests also close
 * their connection, so nothing after them on it is read.
 */
final class Framing {
  private Framing() {}

  /** Why {@code headers} are refused, or empty when the request may go on. */
  static Optional<String> refusal(MultiMap headers) {
    if (headers.contains("transfer-encoding")) {
      return Optional.of("Transfer-Encoding is not accepted: send the body with a Content-Length");
    }
    return Optional.empty();
  }
}
