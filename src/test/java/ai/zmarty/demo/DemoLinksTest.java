package ai.zmarty.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo's first two lines: the chat app and the admin page, each signed in by a {@code #token=} fragment. */
class DemoLinksTest {

  @Test
  void leadsWithTheChatAppAndTheAdminPageSignedInByFragments() {
    DemoLinks links = new DemoLinks("http://localhost:8080", "user.jwt.sig", Optional.of("operator.jwt.sig"));
    assertThat(links.lines()).containsExactly(
        "Chat app, signed in as the demo user:      http://localhost:8080/#token=user.jwt.sig",
        "Admin page, signed in as the demo operator: http://localhost:8080/admin/#token=operator.jwt.sig");
  }

  @Test
  void withASecretFromOutsideTheAdminLineOffersNoToken() {
    DemoLinks links = new DemoLinks("http://localhost:9000", "user.jwt.sig", Optional.empty());
    assertThat(links.adminUrl()).isEmpty();
    assertThat(links.lines()).hasSize(2);
    assertThat(links.lines().get(0)).endsWith("http://localhost:9000/#token=user.jwt.sig");
    assertThat(links.lines().get(1)).contains("http://localhost:9000/admin/ ", "JWT_SECRET is set", "./zmarty token --admin").doesNotContain("#token=");
  }
}
