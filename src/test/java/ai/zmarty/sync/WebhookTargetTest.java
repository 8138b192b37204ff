package ai.zmarty.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.ZmartyConfig.HttpConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookTargetTest {

  @Test
  void aConfiguredUrlWins() {
    assertThat(WebhookTarget.url(Optional.of("https://b.example/functions/v1/watchers-upsert"), new HttpConfig("0.0.0.0", 8080), Optional.of(9999)))
        .isEqualTo("https://b.example/functions/v1/watchers-upsert");
  }

  @Test
  void otherwiseThisNodesOwnHookOnTheBoundPort() {
    assertThat(WebhookTarget.url(Optional.empty(), new HttpConfig("0.0.0.0", 0), Optional.of(43210))).isEqualTo("http://127.0.0.1:43210/hooks/watchers-upsert");
    assertThat(WebhookTarget.url(Optional.empty(), new HttpConfig("10.0.0.5", 8080), Optional.empty())).isEqualTo("http://10.0.0.5:8080/hooks/watchers-upsert");
    assertThat(WebhookTarget.url(Optional.empty(), new HttpConfig("::1", 8080), Optional.empty())).isEqualTo("http://[::1]:8080/hooks/watchers-upsert");
  }
}
