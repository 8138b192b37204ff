package ai.zmarty.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.config.ConfigException;
import ai.zmarty.config.RawConfig;
import ai.zmarty.config.ZmartyConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Member discovery: TCP-IP from CLUSTER_MEMBERS by default, a headless Service's DNS on Kubernetes. */
class HazelcastSetupTest {

  private static JoinConfig join(Map<String, String> env) {
    Config config = HazelcastSetup.hazelcastConfig(ZmartyConfig.from(RawConfig.load(env)).cluster());
    return config.getNetworkConfig().getJoin();
  }

  @Test
  void tcpIpFromTheMemberListIsTheDefault() {
    JoinConfig join = join(Map.of("CLUSTER_MEMBERS", "10.0.0.1,10.0.0.2:5701"));
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1", "10.0.0.2:5701");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
  }

  @Test
  void kubernetesLooksUpTheHeadlessServiceOnTheClusterPort() {
    JoinConfig join = join(Map.of("CLUSTER_DISCOVERY", "kubernetes", "CLUSTER_SERVICE_DNS", "zmarty-cluster.zmarty.svc.cluster.local", "CLUSTER_PORT", "5701"));
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("zmarty-cluster.zmarty.svc.cluster.local");
    assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5701");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
  }

  @Test
  void kubernetesWithoutAServiceNameOrAnUnknownModeStopsTheStart() {
    assertThatThrownBy(() -> ZmartyConfig.from(RawConfig.load(Map.of("CLUSTER_DISCOVERY", "kubernetes"))))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("CLUSTER_SERVICE_DNS: ");
    assertThatThrownBy(() -> ZmartyConfig.from(RawConfig.load(Map.of("CLUSTER_DISCOVERY", "multicast"))))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("CLUSTER_DISCOVERY: ").hasMessageContaining("tcp-ip or kubernetes");
  }
}
