package ai.zmarty.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The chat app's public settings, handed to the browser by {@code GET /config.js}: the API's base
 * URL ({@code PUBLIC_API_BASE}, empty for the page's own origin) and, for Supabase Auth's email
 * magic link, the project URL and its anon key. Everything here is public by design, so the
 * anon key is refused when it is in fact a secret key (a legacy JWT whose {@code role} is {@code
 * service_role}, or a new-style {@code sb_secret_…} key): that key must never reach a browser.
 */
public record WebAppConfig(String apiBase, Optional<String> supabaseUrl, Optional<String> supabaseAnonKey) {

  static WebAppConfig from(RawConfig raw) {
    String apiBase = raw.optional("PUBLIC_API_BASE").map(v -> origin("PUBLIC_API_BASE", v)).orElse("");
    Optional<String> url = raw.optional("SUPABASE_URL").map(v -> origin("SUPABASE_URL", v));
    Optional<String> anon = raw.optional("SUPABASE_ANON_KEY");
    if (url.isPresent() != anon.isPresent()) {
      throw new ConfigException(url.isPresent() ? "SUPABASE_ANON_KEY" : "SUPABASE_URL", "set SUPABASE_URL and SUPABASE_ANON_KEY together (or neither)");
    }
    anon.ifPresent(WebAppConfig::checkPublic);
    return new WebAppConfig(apiBase, url, anon);
  }

  /** An http(s) URL with no query or fragment, without its trailing slash. */
  static String origin(String key, String value) {
    String v = value.trim();
    URI uri;
    try {
      uri = new URI(v);
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(key, "must be an http(s) URL such as https://api.example.com, got '" + value + "'");
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null
        || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new ConfigException(key, "must be an http(s) URL such as https://api.example.com (no query, fragment or credentials), got '" + value + "'");
    }
    return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
  }

  /** Refuses a Supabase secret key given as the anon key. */
  static void checkPublic(String key) {
    if (key.startsWith("sb_secret_")) {
      throw new ConfigException("SUPABASE_ANON_KEY", "is a secret key (sb_secret_…): give the publishable/anon key; a secret key must never reach a browser");
    }
    String[] parts = key.split("\\.");
    if (parts.length == 3) {
      String payload;
      try {
        payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException notBase64) {
        return;
      }
      if (payload.replace(" ", "").contains("\"role\":\"service_role\"")) {
        throw new ConfigException("SUPABASE_ANON_KEY", "is the service_role key: give the anon key; the service_role key must never reach a browser");
      }
    }
  }
}
