package ai.zmarty.router.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** A connect timeout is told by the exception's type, not by words in its message. */
class ConnectTimeoutTest {
  @Test
  void timeoutTypesAreTimeouts() {
    assertThat(SseProvider.timedOut(new ConnectTimeoutException("connection timed out after 100 ms: /10.255.255.1:80"))).isTrue();
    assertThat(SseProvider.timedOut(new SocketTimeoutException())).isTrue();
    assertThat(SseProvider.timedOut(new RuntimeException("wrapped", new TimeoutException()))).isTrue();
  }

  @Test
  void aRefusedConnectionIsNotATimeoutWhateverItsTextSays() {
    assertThat(SseProvider.timedOut(new ConnectException("Connection refused: timed out"))).isFalse();
    assertThat(SseProvider.timedOut(new IllegalStateException("Timeout"))).isFalse();
  }
}
