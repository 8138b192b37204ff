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
}
