package ai.zmarty.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The operators' dashboard page, public like any static file (it holds no data: everything comes
 * over the event-bus bridge, with the operator's token). The page is exactly {@code /admin/};
 * its own scripts and styles are under {@code /admin-assets/} and the browser libraries under
 * {@code /webjars/} (from the WebJars on the classpath), both outside {@code /admin/*}, whose
 * JSON routes keep their service-role guard. Mounted before that guard.
 */
final class AdminPage {
  /** Only this origin's scripts, styles and sockets; no framing. */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  void mount(Router router) {
    router.get("/admin/").handler(rc -> rc.response()
        .putHeader("content-type", "text/html; charset=utf-8")
        .putHeader("content-security-policy", CSP)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("cache-control", "no-cache")
        .sendFile("webroot/admin/index.html"));
    // after the page: a path route also matches its trailing-slash form, so /admin/ never gets here
    router.get("/admin").handler(rc -> rc.redirect("/admin/"));
    // no-cache: a new release's page and scripts are picked up at once
    router.route("/admin-assets/*").handler(StaticHandler.create("webroot/admin").setCachingEnabled(false).setDirectoryListing(false));
    // versioned paths: cacheable
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars").setDirectoryListing(false));
  }
}
