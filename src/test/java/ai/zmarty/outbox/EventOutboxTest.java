package ai.zmarty.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.db.Pools;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14: events are written with their rows and published after commit, so a node that dies
 * between the two loses nothing; a repeat after a crash mid-publish is dropped by the subscriber.
 */
@ExtendWith(VertxExtension.class)
class EventOutboxTest {
  private static final String ADDRESS = "events.test.outbox";

  @Test
  void anEventCommittedWhileNoPublisherRanIsPublishedWhenOneStartsAndARolledBackOneNever(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Pool pool = Pools.create(vertx, dbs.trading(), 2, "outbox-test");
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(ADDRESS, m -> received.add(m.body())).completion().await(5, TimeUnit.SECONDS);

    // the node that wrote these died after its commit: no publisher ran
    List<JsonObject> written = pool.withTransaction(conn -> EventOutbox.addAll(conn, ADDRESS, List.of(new JsonObject().put("n", 1), new JsonObject().put("n", 2))))
        .await(10, TimeUnit.SECONDS);
    assertThat(written).allSatisfy(e -> assertThat(e.getString(EventOutbox.EVENT_ID)).hasSize(36));
    // a transaction that rolls back leaves no event behind
    pool.withTransaction(conn -> EventOutbox.add(conn, ADDRESS, new JsonObject().put("n", 3)).compose(v -> io.vertx.core.Future.failedFuture("rolled back")))
        .otherwiseEmpty().await(10, TimeUnit.SECONDS);
    assertThat(Sql.count(dbs.trading(), "select count(*) from event_outbox")).isEqualTo(2);
    assertThat(received).isEmpty();

    // another node's publisher starts: the committed events go out, oldest first, once
    vertx.deployVerticle(new EventPublisherVerticle(pool, Pools.connectOptions(dbs.trading(), "outbox-listen"), Duration.ofMillis(100))).await(10, TimeUnit.SECONDS);
    Eventually.await(Duration.ofSeconds(10), "both events published", () -> received.size() == 2);
    assertThat(received).extracting(e -> e.getInteger("n")).containsExactly(1, 2);
    assertThat(received).extracting(e -> e.getString(EventOutbox.EVENT_ID)).containsExactlyElementsOf(written.stream().map(e -> e.getString(EventOutbox.EVENT_ID)).toList());
    Eventually.await(Duration.ofSeconds(10), "marked published", () -> Sql.count(dbs.trading(), "select count(*) from event_outbox where published_at is null") == 0);

    // a new event while it runs: woken by NOTIFY, published at once
    pool.withTransaction(conn -> EventOutbox.add(conn, ADDRESS, new JsonObject().put("n", 4))).await(10, TimeUnit.SECONDS);
    Eventually.await(Duration.ofSeconds(10), "the new event", () -> received.size() == 3);
    assertThat(received.get(2).getInteger("n")).isEqualTo(4);
  }

  @Test
  void aPublisherThatDiedBeforeMarkingCausesOneRepeatWhichTheSubscriberDrops(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Pool pool = Pools.create(vertx, dbs.trading(), 2, "outbox-test");
    RecentEvents recent = new RecentEvents(1_000);
    List<JsonObject> all = new CopyOnWriteArrayList<>();
    List<JsonObject> kept = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(ADDRESS, m -> {
      all.add(m.body());
      if (recent.first(m.body())) {
        kept.add(m.body());
      }
    }).completion().await(5, TimeUnit.SECONDS);
    JsonObject event = pool.withTransaction(conn -> EventOutbox.add(conn, ADDRESS, new JsonObject().put("n", 7))).await(10, TimeUnit.SECONDS);
    // it was published (the subscriber has it) but its publisher died before marking it, and its claim lapsed
    vertx.eventBus().publish(ADDRESS, event);
    Eventually.await(Duration.ofSeconds(5), "the first delivery", () -> all.size() == 1);
    vertx.deployVerticle(new EventPublisherVerticle(pool, Pools.connectOptions(dbs.trading(), "outbox-listen"), Duration.ofMillis(100))).await(10, TimeUnit.SECONDS);
    Eventually.await(Duration.ofSeconds(10), "the repeat delivered", () -> all.size() == 2);
    assertThat(kept).hasSize(1);
    assertThat(kept.get(0).getString(EventOutbox.EVENT_ID)).isEqualTo(event.getString(EventOutbox.EVENT_ID));
  }

  @Test
  void recentEventsForgetsTheOldestPastItsCapacity() {
    RecentEvents recent = new RecentEvents(2);
    JsonObject a = new JsonObject().put(EventOutbox.EVENT_ID, "a");
    JsonObject b = new JsonObject().put(EventOutbox.EVENT_ID, "b");
    JsonObject c = new JsonObject().put(EventOutbox.EVENT_ID, "c");
    assertThat(recent.first(a)).isTrue();
    assertThat(recent.first(a)).isFalse();
    assertThat(recent.first(b)).isTrue();
    assertThat(recent.first(c)).isTrue();
    assertThat(recent.first(a)).as("forgotten").isTrue();
    assertThat(recent.first(new JsonObject())).as("no id: always passed on").isTrue();
  }

  @Test
  void aHeldEventIsLeftToItsWriterWhoMarksItAndAnIdAlreadyInTheOutboxIsNotAddedTwice(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Pool pool = Pools.create(vertx, dbs.trading(), 2, "outbox-test");
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(ADDRESS, m -> received.add(m.body())).completion().await(5, TimeUnit.SECONDS);
    String heldId = java.util.UUID.randomUUID().toString();
    JsonObject held = new JsonObject().put("decision_id", heldId).put("n", 1);
    pool.withTransaction(conn -> EventOutbox.addAll(conn, ADDRESS, List.of(held), "decision_id", Duration.ofMinutes(5))).await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new EventPublisherVerticle(pool, Pools.connectOptions(dbs.trading(), "outbox-listen"), Duration.ofMillis(100))).await(10, TimeUnit.SECONDS);

    // an event due at once, added after the held one, goes out; the held one does not (the publisher saw both)
    pool.withTransaction(conn -> EventOutbox.add(conn, ADDRESS, new JsonObject().put("n", 2))).await(10, TimeUnit.SECONDS);
    Eventually.await(Duration.ofSeconds(10), "the due event", () -> received.size() == 1);
    assertThat(received.get(0).getInteger("n")).isEqualTo(2);

    // its writer published it itself and marks it: never due again; the same id added again is skipped
    assertThat(EventOutbox.markPublished(pool, List.of(java.util.UUID.fromString(heldId))).await(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(EventOutbox.markPublished(pool, List.of(java.util.UUID.fromString(heldId))).await(10, TimeUnit.SECONDS)).as("already marked").isZero();
    pool.withTransaction(conn -> EventOutbox.addAll(conn, ADDRESS, List.of(held.copy().put("n", 3)), "decision_id", Duration.ZERO)).await(10, TimeUnit.SECONDS);
    assertThat(Sql.count(dbs.trading(), "select count(*) from event_outbox where event_id = '" + heldId + "'")).isEqualTo(1);
    assertThat(Sql.one(dbs.trading(), "select (body->>'n') || ' ' || (published_at is not null) from event_outbox where event_id = '" + heldId + "'")).isEqualTo("1 true");
    // a last due event proves the publisher ran after all that: still only the two due ones
    pool.withTransaction(conn -> EventOutbox.add(conn, ADDRESS, new JsonObject().put("n", 4))).await(10, TimeUnit.SECONDS);
    Eventually.await(Duration.ofSeconds(10), "the last event", () -> received.size() == 2);
    assertThat(received).extracting(e -> e.getInteger("n")).containsExactly(2, 4);
  }

  @Test
  void recentEventsCanKeyOnAnotherIdField() {
    RecentEvents recent = new RecentEvents(10, "decision_id");
    JsonObject first = new JsonObject().put(EventOutbox.EVENT_ID, "e1").put("decision_id", "d1");
    JsonObject sameEventOtherDecision = new JsonObject().put(EventOutbox.EVENT_ID, "e1").put("decision_id", "d2");
    assertThat(recent.first(first)).isTrue();
    assertThat(recent.first(sameEventOtherDecision)).as("another decision of the same event").isTrue();
    assertThat(recent.first(first.copy())).as("a repeat").isFalse();
  }
}
