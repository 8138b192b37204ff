package ai.zmarty.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The decision sockets of this node ({@code GET /ws/decisions}): how many are open
 * ({@code zmarty_lens_ws_connections}), the decisions written to them
 * ({@code zmarty_lens_ws_decisions_sent_total}) and why sockets closed
 * ({@code zmarty_lens_ws_closed_total{reason}}, a fixed set of reasons).
 */
public final class LensSocketMetrics {
  /** Why a decision socket closed. */
  public enum CloseReason {
    CLIENT,
    UNAUTHORIZED,
    CAPACITY,
    SLOW_CONSUMER,
    PONG_TIMEOUT,
    SHUTDOWN;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final AtomicInteger open = new AtomicInteger();
  private final Counter sent;
  private final Map<CloseReason, Counter> closed = new EnumMap<>(CloseReason.class);

  LensSocketMetrics(MeterRegistry registry) {
    Gauge.builder("zmarty.lens.ws.connections", open, AtomicInteger::get).description("Decision sockets open on this node").register(registry);
    sent = Counter.builder("zmarty.lens.ws.decisions.sent").description("Decision frames written to sockets").register(registry);
    for (CloseReason r : CloseReason.values()) {
      closed.put(r, Counter.builder("zmarty.lens.ws.closed").description("Decision sockets closed, by reason").tag("reason", r.label()).register(registry));
    }
  }

  public void opened() {
    open.incrementAndGet();
  }

  /** A socket's connection ended (whoever closed it). */
  public void ended() {
    open.decrementAndGet();
  }

  /** Why a socket is being closed: counted when the close is decided, not when the connection ends. */
  public void closing(CloseReason reason) {
    closed.get(reason).increment();
  }

  public void sent() {
    sent.increment();
  }

  /** Open sockets now (tests and the scrape read the same figure). */
  public int open() {
    return open.get();
  }
}
