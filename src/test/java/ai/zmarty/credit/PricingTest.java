package ai.zmarty.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PricingTest {
  private final Pricing pricing =
      new Pricing(Map.of("grok", new Pricing.Rate(1, 4, 1), "gpt", new Pricing.Rate(3, 10, 2)));

  @Test
  void chargesMinimumWhenNoTokens() {
    assertThat(pricing.charge("grok", 0, 0)).isEqualTo(1);
    assertThat(pricing.charge("gpt", 0, 0)).isEqualTo(2);
  }

  @Test
  void roundsAnyFractionOfACreditUp() {
    assertThat(pricing.charge("grok", 1, 0)).isEqualTo(2); // 0.001 → 1, + min 1
    assertThat(pricing.charge("grok", 1000, 0)).isEqualTo(2);
    assertThat(pricing.charge("grok", 1001, 0)).isEqualTo(3);
  }

  @Test
  void addsInputAndOutputBeforeRounding() {
    // 500/1000·3 + 250/1000·10 = 1.5 + 2.5 = 4.0 → 4, + 2
    assertThat(pricing.charge("gpt", 500, 250)).isEqualTo(6);
    // 1200/1000·1 + 2048/1000·4 = 1.2 + 8.192 = 9.392 → 10, + 1
    assertThat(pricing.charge("grok", 1200, 2048)).isEqualTo(11);
  }

  @Test
  void worstCaseUsesTheTiersMaxTokens() {
    assertThat(pricing.worstCase("grok", 300, Tier.PRO.maxTokens())).isEqualTo(pricing.charge("grok", 300, 4096));
    assertThat(Tier.FREE.maxTokens()).isEqualTo(1024);
    assertThat(Tier.ENTERPRISE.maxTokens()).isEqualTo(8192);
  }

  @Test
  void unknownProviderHasNoPrice() {
    assertThatThrownBy(() -> pricing.charge("nobody", 1, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void budgetKeepsTheTierMaxTokensWhenTheCapIsFarAway() {
    Pricing.Budget b = pricing.budget(java.util.List.of("grok"), 1000, 4096, 100).orElseThrow();
    assertThat(b.maxTokens()).isEqualTo(4096);
    assertThat(b.worstCase()).isEqualTo(pricing.worstCase("grok", 1000, 4096));
  }

  @Test
  void budgetLowersTheOutputTokensSoTheWorstCaseFitsTheCap() {
    // grok 1/4/1, 1000 in, cap 10: 1000·1 + out·4 ≤ (10 − 1)·1000 → out ≤ 2000
    Pricing.Budget b = pricing.budget(java.util.List.of("grok"), 1000, 4096, 10).orElseThrow();
    assertThat(b.maxTokens()).isEqualTo(2000);
    assertThat(b.worstCase()).isEqualTo(10);
    assertThat(pricing.worstCase("grok", 1000, 2001)).isGreaterThan(10);
  }

  @Test
  void budgetFitsEveryFallbackProviderAndHoldsAtThePriciest() {
    // gpt 3/10/2, 1000 in, cap 10: 3000 + out·10 ≤ 8000 → out ≤ 500; grok at 500 costs 4
    Pricing.Budget b = pricing.budget(java.util.List.of("grok", "gpt"), 1000, 4096, 10).orElseThrow();
    assertThat(b.maxTokens()).isEqualTo(500);
    assertThat(b.provider()).isEqualTo("gpt");
    assertThat(b.worstCase()).isEqualTo(10);
  }

  @Test
  void budgetIsEmptyWhenThePromptAloneReachesTheCap() {
    // grok: 9000 in costs 9 + 1 = 10 with no output; cap 10 leaves no room for a token
    assertThat(pricing.budget(java.util.List.of("grok"), 9000, 4096, 10)).isEmpty();
    assertThat(pricing.budget(java.util.List.of("grok"), 20_000, 4096, 10)).isEmpty();
    assertThat(pricing.budget(java.util.List.of("gpt"), 0, 4096, 2)).isEmpty();
    assertThat(pricing.budget(java.util.List.of("grok"), 8996, 4096, 10).orElseThrow().maxTokens()).isEqualTo(1);
  }

  @Test
  void budgetWithoutACapIsTheTierMaxTokens() {
    assertThat(pricing.budget(java.util.List.of("gpt"), 100_000, 8192, Long.MAX_VALUE).orElseThrow().maxTokens()).isEqualTo(8192);
  }
}
