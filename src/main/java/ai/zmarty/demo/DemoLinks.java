package ai.zmarty.demo;

import java.util.List;
import java.util.Optional;

/**
 * The two lines the demo leads with: the chat app signed in as the demo user and the admin page
 * signed in as this local demo's operator. The tokens ride in the URL's fragment ({@code #token=}),
 * which a browser never sends to a server, so they are in no access log; each page reads it once
 * and takes it out of the address bar.
 */
public record DemoLinks(String base, String userToken, Optional<String> operatorToken) {

  /** The chat app at {@code /}, signed in as the demo user. */
  public String chatUrl() {
    return base + "/#token=" + userToken;
  }

  /** The admin page, signed in as the demo's operator; empty when the demo has no operator token to give. */
  public Optional<String> adminUrl() {
    return operatorToken.map(t -> base + "/admin/#token=" + t);
  }

  /** The first two lines of the demo's output. */
  public List<String> lines() {
    return List.of(
        "Chat app, signed in as the demo user:      " + chatUrl(),
        "Admin page, signed in as the demo operator: "
            + adminUrl().orElse(base + "/admin/ (JWT_SECRET is set, so no operator token is printed: ./zmarty token --admin makes one)"));
  }
}
