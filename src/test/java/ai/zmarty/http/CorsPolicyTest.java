package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.http.CorsPolicy.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorsPolicyTest {
  private final CorsPolicy policy = new CorsPolicy(List.of("https://app.example", "http://localhost:5173"));

  @Test
  void aRequestWithoutOriginIsNotCors() {
    assertThat(policy.judge(null, false)).isEqualTo(Verdict.NOT_CORS);
    assertThat(new CorsPolicy(List.of()).judge(null, true)).isEqualTo(Verdict.NOT_CORS);
  }

  @Test
  void listedOriginsAreAllowedExactly() {
    assertThat(policy.judge("https://app.example", false)).isEqualTo(Verdict.ALLOWED);
    assertThat(policy.judge("https://app.example", true)).isEqualTo(Verdict.PREFLIGHT);
    assertThat(policy.judge("http://localhost:5173", true)).isEqualTo(Verdict.PREFLIGHT);
  }

  @Test
  void anyOtherOriginIsUnlistedAndItsPreflightRefused() {
    for (String origin : List.of("https://app.example.evil", "http://app.example", "https://app.example:443", "http://localhost:5174", "null", "")) {
      assertThat(policy.judge(origin, false)).as(origin).isEqualTo(Verdict.UNLISTED);
      assertThat(policy.judge(origin, true)).as(origin).isEqualTo(Verdict.PREFLIGHT_REFUSED);
    }
  }

  @Test
  void noOriginIsListedByDefault() {
    CorsPolicy none = new CorsPolicy(List.of());
    assertThat(none.judge("https://app.example", true)).isEqualTo(Verdict.PREFLIGHT_REFUSED);
    assertThat(none.judge("https://app.example", false)).isEqualTo(Verdict.UNLISTED);
  }
}
