package ai.zmarty.cluster;

import ai.zmarty.config.ZmartyConfig.ClusterConfig;
import ai.zmarty.config.ZmartyConfig.Discovery;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.regex.Pattern;

/**
 * Hazelcast as this project runs it: members found over TCP-IP from {@code CLUSTER_MEMBERS} (or, with
 * {@code CLUSTER_DISCOVERY=kubernetes}, by a DNS lookup of the headless Service {@code CLUSTER_SERVICE_DNS}),
 * multicast and auto-detection off (many networks, this one included, do not carry multicast),
 * bound to {@code CLUSTER_HOST}, and no phone-home.
 */
public final class HazelcastSetup {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private HazelcastSetup() {}

  public static HazelcastClusterManager clusterManager(ClusterConfig cluster) {
    return new HazelcastClusterManager(hazelcastConfig(cluster));
  }

  public static Config hazelcastConfig(ClusterConfig cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Leave a crashed member's partitions quickly so the survivors carry on.
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "15");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "2");
    // Hazelcast's own SIGTERM hook would cut this member off the cluster at once, in parallel with
    // the node's graceful stop (whose jobs and chats in flight still need the bus): the node leaves
    // the cluster itself, last, when Vert.x closes (a graceful leave the others see at once).
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.addListenerConfig(new com.hazelcast.config.ListenerConfig(new MembershipLog()));
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(20);
    if (IPV4.matcher(cluster.host()).matches()) {
      network.getInterfaces().setEnabled(true).addInterface(cluster.host());
    }
    network.setPublicAddress(null);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.discovery() == Discovery.KUBERNETES) {
      // DNS lookup of the headless Service: every ready pod's address, on CLUSTER_PORT.
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", cluster.serviceDns()).setProperty("service-port", Integer.toString(cluster.port()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    }
    return config;
  }

  public static EventBusOptions eventBusOptions(ClusterConfig cluster) {
    return new EventBusOptions().setHost(cluster.host()).setClusterPublicHost(cluster.host()).setPort(0);
  }
}
