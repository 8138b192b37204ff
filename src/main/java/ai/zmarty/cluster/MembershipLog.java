package ai.zmarty.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line each time a member joins or leaves the cluster, with the members left, so an
 * operator (and the graceful-stop drill) sees when a stopping node left: at once when it left
 * gracefully, after the failure detection ({@code hazelcast.max.no.heartbeat.seconds}) when it died.
 */
final class MembershipLog implements MembershipListener {
  private static final Logger log = LoggerFactory.getLogger(MembershipLog.class);

  @Override
  public void memberAdded(MembershipEvent event) {
    log.info("cluster member joined: {}; members now {}: {}", address(event.getMember()), event.getMembers().size(), addresses(event));
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    log.info("cluster member left: {}; members now {}: {}", address(event.getMember()), event.getMembers().size(), addresses(event));
  }

  private static String address(Member member) {
    return member.getAddress().getHost() + ":" + member.getAddress().getPort();
  }

  private static String addresses(MembershipEvent event) {
    return event.getMembers().stream().map(MembershipLog::address).collect(Collectors.joining(", ", "[", "]"));
  }
}
