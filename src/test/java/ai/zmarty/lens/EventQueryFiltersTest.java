package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventQueryFiltersTest {
  @Test
  void noParametersMeanEverythingInPagesOfFifty() {
    EventQueryFilters.Parsed<EventQueryFilters.Events> p = EventQueryFilters.events(Map.of());
    assertThat(p.ok()).isTrue();
    assertThat(p.filters()).isEqualTo(new EventQueryFilters.Events(null, null, null, null, null, null, 50));
  }

  @Test
  void symbolsOfAnyFormBecomeCanonicalAndTimesAreRead() {
    EventQueryFilters.Events f = EventQueryFilters.events(Map.of("symbol", "eth-perp", "since", "2026-11-30T01:00:00+01:00", "limit", "200", "status", "published")).filters();
    assertThat(f.symbol()).isEqualTo("ETH/USDT");
    assertThat(f.since().toInstant().toString()).isEqualTo("2026-11-30T00:00:00Z");
    assertThat(f.limit()).isEqualTo(200);
    assertThat(f.status()).isEqualTo("published");
  }

  @Test
  void everyBadOrUnknownParameterIsNamed() {
    EventQueryFilters.Parsed<EventQueryFilters.Events> p = EventQueryFilters.events(Map.of("status", "done", "limit", "201", "source", "Bad!", "until", "soon", "sort", "asc"));
    assertThat(p.problems()).containsOnlyKeys("status", "limit", "source", "until", "sort");
    assertThat(p.problems().get("sort")).startsWith("unknown parameter (known: cursor, limit, since, source, status, symbol, until)");
    assertThat(p.message()).startsWith("bad query: ");
    assertThat(EventQueryFilters.decisions(Map.of("decision", "enter", "model", "x y")).problems()).containsOnlyKeys("decision", "model");
    assertThat(EventQueryFilters.deadLetters(Map.of("resolved", "yes", "stage", "publish", "limit", "0")).problems()).containsOnlyKeys("resolved", "stage", "limit");
  }

  @Test
  void aCursorRoundTripsAndAForgedOneIsRefused() {
    EventQueryCursor c = new EventQueryCursor(OffsetDateTime.parse("2026-11-30T00:00:00.123456Z"), UUID.randomUUID().toString());
    assertThat(EventQueryFilters.events(Map.of("cursor", c.encode())).filters().cursor()).isEqualTo(c);
    assertThat(EventQueryFilters.events(Map.of("cursor", "bm9wZQ")).problems()).containsOnlyKeys("cursor");
    // an event cursor is not a dead-letter cursor (whose id is a number)
    assertThat(EventQueryFilters.deadLetters(Map.of("cursor", c.encode())).problems()).containsOnlyKeys("cursor");
    EventQueryCursor dlq = new EventQueryCursor(OffsetDateTime.parse("2026-11-30T00:00:00Z"), "42");
    assertThat(EventQueryFilters.deadLetters(Map.of("cursor", dlq.encode())).filters().cursor()).isEqualTo(dlq);
  }
}
