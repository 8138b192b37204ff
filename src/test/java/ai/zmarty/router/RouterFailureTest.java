package ai.zmarty.router;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The router's failure carries its retry hint and each attempt's kind as fields, on one node and across a cluster's wire. */
@ExtendWith(VertxExtension.class)
class RouterFailureTest {
  private static final RouterFailure FAILURE = new RouterFailure(RouterFailure.Reason.EVERY_PROVIDER_FAILED,
      List.of(new RouterFailure.Attempt("grok", "server_error"), new RouterFailure.Attempt("gpt", "rate_limited")), 7, "every model provider failed");

  @Test
  void aReplyWithTheFailureFailsTheRequestWithItsFields(Vertx vertx) throws Exception {
    RouterFailure.registerCodec(vertx);
    RouterFailure.registerCodec(vertx); // a second wiring on the same Vert.x: harmless
    vertx.eventBus().consumer("test.router", m -> m.reply(FAILURE));
    Throwable failed = vertx.eventBus().request("test.router", "hi").transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())).await(5, TimeUnit.SECONDS);

    assertThat(failed).isInstanceOf(RouterFailure.class);
    RouterFailure f = (RouterFailure) failed;
    assertThat(f.retryAfterSeconds()).isEqualTo(7);
    assertThat(f.attempts()).extracting(RouterFailure.Attempt::kind).containsExactly("server_error", "rate_limited");
    assertThat(ErrorCode.of(f)).isEqualTo(ErrorCode.UNAVAILABLE);
  }

  @Test
  void theWireFormKeepsEveryField() {
    RouterFailure.Codec codec = new RouterFailure.Codec();
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, FAILURE);
    RouterFailure back = codec.decodeFromWire("prefix".length(), wire);

    assertThat(back.reason()).isEqualTo(RouterFailure.Reason.EVERY_PROVIDER_FAILED);
    assertThat(back.attempts()).isEqualTo(FAILURE.attempts());
    assertThat(back.retryAfterSeconds()).isEqualTo(7);
    assertThat(back.getMessage()).isEqualTo("every model provider failed");
    assertThat(((ReplyException) back).failureCode()).isEqualTo(503);
  }
}
