package ai.zmarty.router;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The default provider: no network, no key. It streams {@link OfflineAnswer} word by word at a
 * steady pace, like a model would, so clients and billing are exercised the same way.
 */
public final class OfflineAnalyst implements ModelProvider {
  public static final String NAME = "offline";

  private final Vertx vertx;
  private final TokenCounter tokens;
  private final Duration pace;

  public OfflineAnalyst(Vertx vertx, TokenCounter tokens, Duration pace) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.pace = pace;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Usage> stream(Call call, TokenSink sink) {
    List<String> pieces = pieces(OfflineAnswer.compose(call.context(), call.prompt().user()));
    Promise<Usage> done = Promise.promise();
    StringBuilder sent = new StringBuilder();
    emit(pieces, 0, call, sink, sent, done);
    return done.future();
  }

  private void emit(List<String> pieces, int i, Call call, TokenSink sink, StringBuilder sent, Promise<Usage> done) {
    if (i >= pieces.size() || tokens.count(sent + pieces.get(i)) > call.maxTokens()) {
      done.complete(new Usage(call.inputTokens(), tokens.count(sent.toString()), false));
      return;
    }
    sent.append(pieces.get(i));
    if (!sink.accept(pieces.get(i))) {
      done.complete(new Usage(call.inputTokens(), tokens.count(sent.toString()), false));
      return;
    }
    vertx.setTimer(Math.max(1, pace.toMillis()), t -> emit(pieces, i + 1, call, sink, sent, done));
  }

  /** Words with their following space, the way models stream. */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i - 1) == ' ') {
        out.add(text.substring(start, i));
        start = i;
      }
    }
    return out;
  }
}
