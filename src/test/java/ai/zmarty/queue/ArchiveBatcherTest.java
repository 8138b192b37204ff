package ai.zmarty.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchiveBatcherTest {
  /** The archive statements asked for, each with the ids it got, completed by the test. */
  private final List<List<Long>> statements = new ArrayList<>();
  private final List<Promise<Void>> running = new ArrayList<>();

  private ArchiveBatcher batcher(int maxBatch) {
    return new ArchiveBatcher((queue, ids) -> {
      statements.add(ids);
      Promise<Void> p = Promise.promise();
      running.add(p);
      return p.future();
    }, maxBatch);
  }

  @Test
  void theFirstMessageIsArchivedAtOnceAlone() {
    ArchiveBatcher b = batcher(32);
    Future<Void> one = b.archive("q", 1);
    assertThat(statements).containsExactly(List.of(1L));
    assertThat(one.isComplete()).isFalse();
    running.getFirst().complete();
    assertThat(one.succeeded()).isTrue();
  }

  @Test
  void messagesDoneWhileAStatementRunsGoTogetherInTheNext() {
    ArchiveBatcher b = batcher(32);
    Future<Void> first = b.archive("q", 1);
    Future<Void> second = b.archive("q", 2);
    Future<Void> third = b.archive("q", 3);
    assertThat(statements).containsExactly(List.of(1L));
    running.getFirst().complete();
    assertThat(first.succeeded()).isTrue();
    assertThat(statements).containsExactly(List.of(1L), List.of(2L, 3L));
    assertThat(second.isComplete()).isFalse();
    running.get(1).complete();
    assertThat(second.succeeded()).isTrue();
    assertThat(third.succeeded()).isTrue();
  }

  @Test
  void aFailedStatementFailsExactlyItsOwnMessages() {
    ArchiveBatcher b = batcher(32);
    Future<Void> first = b.archive("q", 1);
    Future<Void> second = b.archive("q", 2);
    running.getFirst().fail("connection lost");
    assertThat(first.failed()).isTrue();
    assertThat(first.cause()).hasMessage("connection lost");
    // the next message's statement still runs, and its success is its own
    assertThat(second.isComplete()).isFalse();
    running.get(1).complete();
    assertThat(second.succeeded()).isTrue();
  }

  @Test
  void queuesAreArchivedApartAndABatchIsCapped() {
    ArchiveBatcher b = batcher(2);
    b.archive("a", 1);
    b.archive("b", 1);
    b.archive("a", 2);
    b.archive("a", 3);
    b.archive("a", 4);
    // one statement per queue at once: a's first and b's first
    assertThat(statements).containsExactly(List.of(1L), List.of(1L));
    running.getFirst().complete();
    assertThat(statements.get(2)).containsExactly(2L, 3L);
    running.get(2).complete();
    assertThat(statements.get(3)).containsExactly(4L);
  }

  @Test
  void anArchiveFunctionThatThrowsFailsItsMessagesAndTheNextStillRun() {
    int[] calls = {0};
    ArchiveBatcher b = new ArchiveBatcher((queue, ids) -> {
      if (calls[0]++ == 0) {
        throw new IllegalStateException("pool closed");
      }
      return Future.succeededFuture();
    }, 8);
    assertThat(b.archive("q", 1).failed()).isTrue();
    assertThat(b.archive("q", 2).succeeded()).isTrue();
  }
}
