package ai.zmarty.http;

import ai.zmarty.config.WebAppConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The traders' chat app: the page at {@code /} ({@code webroot/index.html}), its scripts and
 * styles under {@code /app/} ({@code webroot/app/}, the same paths a static host publishes) and
 * {@code GET /config.js}, the runtime settings the page reads. All public: the page holds no data
 * and config.js only public values; every call the page makes carries the user's own token.
 */
final class WebApp {
  private final String configJs;
  private final String csp;

  WebApp(WebAppConfig config) {
    this.configJs = configJs(config);
    this.csp = csp(config);
  }

  /**
   * Exactly {@code window.ZMARTY_CONFIG = {"apiBase": "…", "supabaseUrl": "…", "supabaseAnonKey": "…"};}
   * with JSON values (null when not configured). Built only from these three public settings.
   */
  static String configJs(WebAppConfig config) {
    return "window.ZMARTY_CONFIG = {\"apiBase\": " + json(config.apiBase()) + ", \"supabaseUrl\": " + json(config.supabaseUrl().orElse(null))
        + ", \"supabaseAnonKey\": " + json(config.supabaseAnonKey().orElse(null)) + "};";
  }

  private static String json(String value) {
    // the one value of a JSON array, without the brackets: a JSON string with every escape, or null
    String array = new io.vertx.core.json.JsonArray().add(value).encode();
    return array.substring(1, array.length() - 1).replace("<", "\\u003c");
  }

  /** Same-origin scripts and styles; the API and Supabase (when configured) may be called and play audio. */
  static String csp(WebAppConfig config) {
    Set<String> connect = new LinkedHashSet<>();
    connect.add("'self'");
    if (!config.apiBase().isEmpty()) {
      connect.add(originOf(config.apiBase()));
    }
    config.supabaseUrl().ifPresent(u -> connect.add(originOf(u)));
    String apis = String.join(" ", connect);
    String media = config.apiBase().isEmpty() ? "'self'" : "'self' " + originOf(config.apiBase());
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src " + apis + "; media-src " + media
        + "; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  }

  private static String originOf(String url) {
    URI u = URI.create(url);
    return u.getScheme() + "://" + u.getRawAuthority();
  }

  void mount(Router router) {
    router.get("/").handler(rc -> rc.response()
        .putHeader("content-type", "text/html; charset=utf-8")
        .putHeader("content-security-policy", csp)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer")
        .putHeader("cache-control", "no-cache")
        .sendFile("webroot/index.html"));
    router.get("/config.js").handler(rc -> rc.response()
        .putHeader("content-type", "text/javascript; charset=utf-8")
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("cache-control", "no-cache")
        .end(configJs));
    router.route("/app/*").handler(StaticHandler.create("webroot/app").setCachingEnabled(false).setDirectoryListing(false));
  }
}
