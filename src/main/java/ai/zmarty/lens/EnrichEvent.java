package ai.zmarty.lens;

import java.time.Instant;
import java.util.UUID;

/** The {@code lens.events} row enrichment works on (sizes null when the source sent none). */
public record EnrichEvent(
    UUID eventId,
    String source,
    String symbol,
    String eventType,
    String direction,
    double entryPrice,
    Double size,
    Double liquidationPrice,
    Instant tsUtc,
    String featureProfile,
    String status) {

  /** Enrichment runs on a queued event, or on a failed one an operator sent back from the DLQ. */
  public boolean enrichable() {
    return status.equals("queued") || status.equals("failed");
  }
}
