package ai.zmarty.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.micrometer.MetricsNaming;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Vert.x's event-bus series ({@code vertx_eventbus_*}: handlers, pending, processed, discarded,
 * published, sent, received, delivered, reply failures, bytes), the same names and the same
 * {@code side} and {@code failure} labels as vertx-micrometer-metrics reports them, with every meter
 * made once. Without an address label a meter depends only on the side, so there is nothing to
 * look up per message: Vert.x's own implementation builds tags and finds each meter in the registry
 * on every send and receipt, and registers seven meters for every consumer (each chat has consumers
 * of its own); measured under the chat bench, that was the largest part of what metrics cost.
 * Internal addresses ({@code __vertx.*}: replies) are not counted, as in Vert.x's.
 */
final class EventBusMeters implements EventBusMetrics<EventBusMeters.Side[]> {

  /** One side's (local or remote) meters. */
  static final class Side {
    private final LongAdder pending = new LongAdder();
    private final Counter processed;
    private final Counter discarded;
    private final Counter published;
    private final Counter sent;
    private final Counter received;
    private final Counter delivered;

    private Side(MeterRegistry registry, MetricsNaming names, String side) {
      Gauge.builder(names.getEbPending(), pending, LongAdder::doubleValue).description("Number of messages not processed yet").tag("side", side).strongReference(true).register(registry);
      processed = counter(registry, names.getEbProcessed(), "Number of processed messages", side);
      discarded = counter(registry, names.getEbDiscarded(), "Number of discarded messages", side);
      published = counter(registry, names.getEbPublished(), "Number of messages published (publish / subscribe)", side);
      sent = counter(registry, names.getEbSent(), "Number of messages sent (point-to-point)", side);
      received = counter(registry, names.getEbReceived(), "Number of messages received", side);
      delivered = counter(registry, names.getEbDelivered(), "Number of messages delivered to handlers", side);
    }

    private static Counter counter(MeterRegistry registry, String name, String description, String side) {
      return Counter.builder(name).description(description).tag("side", side).register(registry);
    }
  }

  /** What a registered consumer gets: index 0 local, 1 remote (one shared array, nothing per consumer). */
  private final Side[] sides;
  private final LongAdder handlers = new LongAdder();
  private final DistributionSummary bytesWritten;
  private final DistributionSummary bytesRead;
  private final Map<ReplyFailure, Counter> replyFailures = new EnumMap<>(ReplyFailure.class);

  EventBusMeters(MeterRegistry registry, MetricsNaming names) {
    sides = new Side[] {new Side(registry, names, "local"), new Side(registry, names, "remote")};
    Gauge.builder(names.getEbHandlers(), handlers, LongAdder::doubleValue).description("Number of event bus handlers in use").strongReference(true).register(registry);
    bytesWritten = DistributionSummary.builder(names.getEbBytesWritten()).description("Number of bytes sent while sending messages to event bus cluster peers").register(registry);
    bytesRead = DistributionSummary.builder(names.getEbBytesRead()).description("Number of bytes received while reading messages from event bus cluster peers").register(registry);
    for (ReplyFailure failure : ReplyFailure.values()) {
      replyFailures.put(failure, Counter.builder(names.getEbReplyFailures()).description("Number of message reply failures").tag("failure", failure.name()).register(registry));
    }
  }

  private static boolean internal(String address) {
    return address.startsWith("__vertx.");
  }

  private Side side(boolean local) {
    return sides[local ? 0 : 1];
  }

  @Override
  public Side[] handlerRegistered(String address) {
    if (internal(address)) {
      return null;
    }
    handlers.increment();
    return sides;
  }

  @Override
  public void handlerUnregistered(Side[] handler) {
    if (handler != null) {
      handlers.decrement();
    }
  }

  @Override
  public void messageDelivered(Side[] handler, boolean local) {
    if (handler != null) {
      Side s = side(local);
      s.pending.decrement();
      s.processed.increment();
    }
  }

  @Override
  public void discardMessage(Side[] handler, boolean local, Message<?> msg) {
    if (handler != null) {
      Side s = side(local);
      s.pending.decrement();
      s.discarded.increment();
    }
  }

  @Override
  public void messageSent(String address, boolean publish, boolean local, boolean remote) {
    if (!internal(address)) {
      Side s = side(local);
      (publish ? s.published : s.sent).increment();
    }
  }

  @Override
  public void messageReceived(String address, boolean publish, boolean local, int handlerCount) {
    if (!internal(address)) {
      Side s = side(local);
      s.received.increment();
      if (handlerCount > 0) {
        s.pending.add(handlerCount);
        s.delivered.increment();
      }
    }
  }

  @Override
  public void messageWritten(String address, int numberOfBytes) {
    if (!internal(address)) {
      bytesWritten.record(numberOfBytes);
    }
  }

  @Override
  public void messageRead(String address, int numberOfBytes) {
    if (!internal(address)) {
      bytesRead.record(numberOfBytes);
    }
  }

  @Override
  public void replyFailure(String address, ReplyFailure failure) {
    if (!internal(address)) {
      replyFailures.get(failure).increment();
    }
  }
}
