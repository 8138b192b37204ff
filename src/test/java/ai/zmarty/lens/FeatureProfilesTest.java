package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.config.ConfigException;
import ai.zmarty.config.RawConfig;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.market.Timeframe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureProfilesTest {

  @Test
  void theShippedProfilesResolveTheirExtendsChains() {
    FeatureProfiles p = FeatureProfiles.load(Optional.empty());
    assertThat(p.names()).containsExactlyInAnyOrder("trend_follow_v1", "crypto_perps_v1", "full_v1");
    List<Timeframe> tfs = List.of(Timeframe.M15, Timeframe.H1, Timeframe.H4);
    assertThat(p.get("trend_follow_v1")).contains(new FeatureProfile("trend_follow_v1", tfs, true, false, false, false));
    assertThat(p.get("crypto_perps_v1")).contains(new FeatureProfile("crypto_perps_v1", tfs, true, true, false, false));
    assertThat(p.get("full_v1")).contains(new FeatureProfile("full_v1", tfs, true, true, true, true));
    assertThat(p.get("nope")).isEmpty();
  }

  @Test
  void aChildOverridesWhatItSetsAndInheritsTheRestThroughSeveralGenerations() {
    FeatureProfiles p = FeatureProfiles.parse("test.yaml", """
        profiles:
          base: {timeframes: [1h], ta: true, derivatives: true}
          mid: {extends: base, timeframes: [5m, 1d], orderbook: true}
          leaf: {extends: mid, derivatives: false, levels: true}
        """);
    assertThat(p.get("leaf")).contains(new FeatureProfile("leaf", List.of(Timeframe.M5, Timeframe.D1), true, false, true, true));
    assertThat(p.get("mid")).contains(new FeatureProfile("mid", List.of(Timeframe.M5, Timeframe.D1), true, true, true, false));
  }

  @Test
  void aCycleNamesTheFileTheProfileAndTheLoop() {
    assertThatThrownBy(() -> FeatureProfiles.parse("/etc/zmarty/profiles.yaml", """
        profiles:
          a: {extends: b, timeframes: [1h]}
          b: {extends: c}
          c: {extends: a}
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage("LENS_PROFILES_FILE: /etc/zmarty/profiles.yaml: profile 'a' its extends chain has a cycle: a -> b -> c -> a");
  }

  @Test
  void anUnknownParentNamesTheProfileThatExtendsIt() {
    assertThatThrownBy(() -> FeatureProfiles.parse("p.yaml", """
        profiles:
          good: {timeframes: [1h], ta: true}
          child: {extends: missing_v1}
        """))
        .hasMessage("LENS_PROFILES_FILE: p.yaml: profile 'child' extends 'missing_v1', which is not defined (profiles: good, child)");
  }

  @Test
  void anUnknownFieldIsRefusedNotIgnored() {
    assertThatThrownBy(() -> FeatureProfiles.parse("p.yaml", """
        profiles:
          typo_v1: {timeframes: [1h], ta: true, orderbok: true}
        """))
        .hasMessage("LENS_PROFILES_FILE: p.yaml: profile 'typo_v1' has an unknown field 'orderbok' (known: extends, timeframes, ta, derivatives, orderbook, levels)");
  }

  @Test
  void badValuesAndShapesNameTheProfile() {
    assertThatThrownBy(() -> FeatureProfiles.parse("p.yaml", "profiles:\n  x: {timeframes: [2h], ta: true}\n")).hasMessageStartingWith("LENS_PROFILES_FILE: p.yaml: profile 'x' unknown timeframe '2h'");
    assertThatThrownBy(() -> FeatureProfiles.parse("p.yaml", "profiles:\n  x: {timeframes: [1h], ta: yes please}\n")).hasMessage("LENS_PROFILES_FILE: p.yaml: profile 'x' ta must be true or false, got 'yes please'");
    assertThatThrownBy(() -> FeatureProfiles.parse("p.yaml", "profiles:\n  x: {levels: true}\n")).hasMessage("LENS_PROFILES_FILE: p.yaml: profile 'x' asks for ta or levels but has no timeframes");
    assertThatThrownBy(() -> FeatureProfiles.parse("p.yaml", "other: 1\n")).hasMessage("LENS_PROFILES_FILE: p.yaml must have a 'profiles' map with at least one profile");
    assertThatThrownBy(() -> FeatureProfiles.parse("p.yaml", "profiles: [\n")).hasMessageStartingWith("LENS_PROFILES_FILE: p.yaml is not valid YAML");
  }

  @Test
  void theStartReadsTheOverrideFileAndStopsOnABadOneOrAMissingOne(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, "profiles:\n  only_v1: {timeframes: [4h], ta: true}\n");
    ZmartyConfig config = ZmartyConfig.from(RawConfig.load(Map.of("LENS_PROFILES_FILE", good.toString())));
    assertThat(config.lensEnrich().profiles().names()).containsExactly("only_v1");

    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "profiles:\n  full_v1: {extends: crypto_perps_v1}\n");
    assertThatThrownBy(() -> ZmartyConfig.from(RawConfig.load(Map.of("LENS_PROFILES_FILE", bad.toString()))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("LENS_PROFILES_FILE: " + bad + ": profile 'full_v1' extends 'crypto_perps_v1', which is not defined (profiles: full_v1)");

    Path missing = dir.resolve("missing.yaml");
    assertThatThrownBy(() -> ZmartyConfig.from(RawConfig.load(Map.of("LENS_PROFILES_FILE", missing.toString()))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("LENS_PROFILES_FILE: " + missing + " cannot be read");
  }
}
