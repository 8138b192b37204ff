package ai.zmarty.router.providers;

import ai.zmarty.config.ZmartyConfig.ProviderConfig;
import ai.zmarty.config.ZmartyConfig.ProvidersConfig;
import ai.zmarty.router.ModelProvider;
import ai.zmarty.router.TokenCounter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every real provider shares: one HTTP POST whose answer is an SSE stream, parsed as the bytes
 * arrive; connect, first-byte and idle timeouts; error mapping; and the usage rule — what the
 * provider reported, else counted here and marked estimated. A subclass only knows its wire format.
 */
abstract class SseProvider implements ModelProvider {
  private static final Logger log = LoggerFactory.getLogger(SseProvider.class);
  /** Concurrent streams to one provider from one node. */
  static final int MAX_STREAMS = 512;

  protected final ProviderConfig config;
  private final Vertx vertx;
  private final HttpClient client;
  private final TokenCounter tokens;
  private final long firstByteMs;
  private final long idleMs;
  private final int connectMs;

  SseProvider(Vertx vertx, ProviderConfig config, ProvidersConfig timeouts, TokenCounter tokens) {
    this.vertx = vertx;
    this.config = config;
    this.tokens = tokens;
    this.connectMs = (int) timeouts.connectTimeout().toMillis();
    this.firstByteMs = timeouts.firstByteTimeout().toMillis();
    this.idleMs = timeouts.idleTimeout().toMillis();
    // every streamed answer holds its connection for its whole length: the default pool (5) would queue chats
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(connectMs).setKeepAlive(true).setName("provider-" + config.name()), new PoolOptions().setHttp1MaxSize(MAX_STREAMS));
  }

  @Override
  public String name() {
    return config.name();
  }

  /** The absolute URL of the streaming call. */
  protected abstract String url(Call call);

  /** Headers besides content-type: the key and version headers of the provider. */
  protected abstract void headers(MultiMap headers);

  protected abstract JsonObject body(Call call);

  /** A reader of one answer's events. */
  protected abstract Decoder decoder();

  /** Reads one stream's events; throws {@link ProviderFailure} for an error event. */
  interface Decoder {
    /** Handles an event whose data is JSON (or {@code [DONE]}); hands text pieces to {@code text}. */
    void onEvent(String event, String data, Consumer<String> text, Reported usage);

    /** The provider said the answer is complete. */
    boolean complete();
  }

  /** Usage as the provider reported it so far; null where it reported nothing. */
  static final class Reported {
    Long input;
    Long output;
  }

  @Override
  public Future<Usage> stream(Call call, TokenSink sink) {
    Promise<Usage> done = Promise.promise();
    new Exchange(call, sink, done).start();
    return done.future();
  }

  /** One call: the request, the timers, the text sent so far. */
  private final class Exchange {
    private final Call call;
    private final TokenSink sink;
    private final Promise<Usage> done;
    private final Decoder decoder = decoder();
    private final Reported reported = new Reported();
    private final StringBuilder text = new StringBuilder();
    private final SseParser parser = new SseParser(this::onEvent);
    private HttpClientRequest request;
    private long timer = -1;
    private long timerAt;
    private long deadline;
    private ProviderFailure.Kind deadlineKind;
    private String deadlineMessage;
    private boolean finished;
    private int malformed;

    Exchange(Call call, TokenSink sink, Promise<Usage> done) {
      this.call = call;
      this.sink = sink;
      this.done = done;
    }

    void start() {
      call.cancelled().onComplete(v -> cancel());
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url(call)).setConnectTimeout(connectMs).putHeader("content-type", "application/json").putHeader("accept", "text/event-stream");
      headers(options.getHeaders());
      Buffer payload = body(call).toBuffer();
      client.request(options)
          .onFailure(err -> fail(connectFailure(err)))
          .onSuccess(req -> {
            request = req;
            if (finished) {
              req.reset();
              return;
            }
            arm(firstByteMs, ProviderFailure.Kind.FIRST_BYTE_TIMEOUT, "no answer within " + firstByteMs + " ms");
            req.send(payload).onSuccess(this::onResponse).onFailure(err -> fail(new ProviderFailure(name(), ProviderFailure.Kind.CONNECTION_FAILED, String.valueOf(err.getMessage()))));
          });
    }

    private void onResponse(HttpClientResponse response) {
      if (finished) {
        return;
      }
      if (response.statusCode() != 200) {
        response.body().onComplete(ar -> fail(ProviderFailure.fromHttp(name(), response.statusCode(), response.headers(), ar.succeeded() ? ar.result().toString() : "")));
        return;
      }
      response.handler(chunk -> {
        if (finished) {
          return;
        }
        arm(idleMs, ProviderFailure.Kind.IDLE_TIMEOUT, "no data for " + idleMs + " ms");
        parser.feed(chunk);
      });
      response.exceptionHandler(err -> fail(new ProviderFailure(name(), ProviderFailure.Kind.CONNECTION_FAILED, "stream broke: " + err.getMessage())));
      response.endHandler(v -> {
        if (finished) {
          return;
        }
        parser.end();
        if (finished) {
          return;
        }
        if (decoder.complete()) {
          finish();
        } else {
          fail(new ProviderFailure(name(), ProviderFailure.Kind.CONNECTION_FAILED, "the stream ended before the answer was complete"));
        }
      });
    }

    private void onEvent(SseParser.Event event) {
      if (finished) {
        return;
      }
      try {
        decoder.onEvent(event.name(), event.data(), this::emit, reported);
      } catch (ProviderFailure f) {
        fail(f);
      } catch (DecodeException | ClassCastException | NullPointerException e) {
        malformed++;
        log.warn("provider={} skipped a malformed event request_id={} event={} malformed_count={}", name(), call.requestId(), event.name(), malformed);
      }
    }

    private void emit(String piece) {
      if (finished || piece == null || piece.isEmpty()) {
        return;
      }
      text.append(piece);
      if (!sink.accept(piece)) {
        // the client went away: stop the upstream call at once; the charge covers what was produced
        finished = true;
        disarm();
        if (request != null) {
          request.reset();
        }
        done.complete(usage());
      }
    }

    /** The client went away: reset the upstream request now, whatever it is waiting for. */
    private void cancel() {
      if (finished) {
        return;
      }
      if (text.isEmpty()) {
        fail(new ProviderFailure(name(), ProviderFailure.Kind.CANCELLED, "the client went away before any output"));
        return;
      }
      finished = true;
      disarm();
      if (request != null) {
        request.reset();
      }
      done.complete(usage());
    }

    private void finish() {
      finished = true;
      disarm();
      done.complete(usage());
    }

    private void fail(ProviderFailure failure) {
      if (finished) {
        return;
      }
      finished = true;
      disarm();
      if (request != null) {
        request.reset();
      }
      if (text.isEmpty()) {
        done.fail(failure);
      } else {
        done.fail(new PartialFailure(failure.getMessage(), usage(), failure));
      }
    }

    /** What the provider reported; the rest counted here. */
    private Usage usage() {
      boolean estimated = reported.input == null || reported.output == null;
      long in = reported.input != null ? reported.input : call.inputTokens();
      long out = reported.output != null ? reported.output : tokens.count(text.toString());
      return new Usage(in, out, estimated);
    }

    /**
     * Fails the call with {@code kind} unless data arrives within {@code ms}. Arming moves a
     * deadline; the one timer re-arms itself for what is left, so a chunk costs no timer churn.
     */
    private void arm(long ms, ProviderFailure.Kind kind, String message) {
      long at = System.nanoTime() + ms * 1_000_000;
      deadline = at;
      deadlineKind = kind;
      deadlineMessage = message;
      if (timer >= 0 && timerAt <= at) {
        return;
      }
      disarm();
      schedule(at);
    }

    private void schedule(long at) {
      timerAt = at;
      timer = vertx.setTimer(Math.max(1, (at - System.nanoTime() + 999_999) / 1_000_000), id -> {
        timer = -1;
        if (finished) {
          return;
        }
        if (System.nanoTime() - deadline >= 0) {
          fail(new ProviderFailure(name(), deadlineKind, deadlineMessage));
        } else {
          schedule(deadline);
        }
      });
    }

    private void disarm() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    private ProviderFailure connectFailure(Throwable err) {
      return new ProviderFailure(name(), timedOut(err) ? ProviderFailure.Kind.CONNECT_TIMEOUT : ProviderFailure.Kind.CONNECTION_FAILED, "cannot connect: " + err.getMessage());
    }
  }

  /** A connect that timed out, told by the exception's type (Netty's connect timeout, a socket or future timeout), never by its text. */
  static boolean timedOut(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof io.netty.channel.ConnectTimeoutException || t instanceof java.net.SocketTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** Closes the HTTP client. */
  public Future<Void> close() {
    return client.close();
  }
}
