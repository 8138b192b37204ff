package ai.zmarty.sync;

import ai.zmarty.config.ZmartyConfig.HttpConfig;
import java.util.Optional;
import java.util.Set;

/** Where the relay posts: {@code WEBHOOK_URL}, else this node's own hook on the port its HTTP API bound. */
public final class WebhookTarget {
  private static final Set<String> ANY_ADDRESS = Set.of("0.0.0.0", "::", "[::]");

  private WebhookTarget() {}

  /**
   * @param boundPort the port the api role actually bound (it may be configured as 0), when this
   *     node runs it; otherwise {@code HTTP_PORT}
   */
  public static String url(Optional<String> configured, HttpConfig http, Optional<Integer> boundPort) {
    if (configured.isPresent()) {
      return configured.get();
    }
    String host = http.host();
    if (ANY_ADDRESS.contains(host)) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + boundPort.orElse(http.port()) + WatchersUpsertHook.PATH;
  }
}
