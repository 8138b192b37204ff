package ai.zmarty.queue;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs one {@code jobs.<queue>} consumer is running, so that a stopping node stops taking jobs
 * at once, lets the running ones finish for up to a grace, and hands back the rest: each is failed
 * with {@link JobHandler#HANDED_BACK}, which tells the poller that sent it (on this node or another)
 * to make the message visible again at once instead of after its visibility timeout. A job that
 * finishes after it was handed back has its late answer dropped (handlers are idempotent: the next
 * delivery does the work again). Given the queues' client, the drain also makes each handed-back
 * message visible itself before failing it: the failure is a bus message to the poller that sent the
 * job, perhaps on another node, and one still on its way when this node's Vert.x closes is lost —
 * that poller would then wait out its handler timeout, and the message its visibility timeout.
 */
public final class JobDrain {
  private static final Logger log = LoggerFactory.getLogger(JobDrain.class);
  /** How long a stopping node lets its jobs run; as long as the poller's own grace, so both end together. */
  public static final Duration GRACE = PgmqPollerVerticle.STOP_GRACE;

  private final Set<Running> running = ConcurrentHashMap.newKeySet();
  private final String queue;
  /** Where a handed-back message is made visible again; null: the sending poller alone does it. */
  private final PgmqClient queues;

  public JobDrain(String queue) {
    this(queue, null);
  }

  /** @param queues database B's queues, where this drain makes a handed-back message visible again itself */
  public JobDrain(String queue, PgmqClient queues) {
    this.queue = queue;
    this.queues = queues;
  }

  /** {@code handler}, with each message it is given counted as running until it is answered. */
  public Handler<Message<Object>> tracking(Handler<Message<Object>> handler) {
    return msg -> {
      Running job = new Running(msg);
      running.add(job);
      handler.handle(job);
    };
  }

  /** Jobs answered neither way yet. */
  public int running() {
    return running.size();
  }

  /**
   * Stops {@code consumer} taking jobs, waits up to {@code grace} for the running ones, then hands
   * back the rest. Completes when every job was answered or handed back.
   */
  public Future<Void> stop(Vertx vertx, MessageConsumer<?> consumer, Duration grace) {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered.transform(v -> {
      if (running.isEmpty()) {
        return Future.succeededFuture();
      }
      log.info("{} consumer stopping: waiting up to {} s for {} job(s) running", queue, grace.toSeconds(), running.size());
      Promise<Void> done = Promise.promise();
      boolean[] handingBack = {false};
      long deadline = System.nanoTime() + grace.toNanos();
      long timer = vertx.setPeriodic(50, id -> {
        if (running.isEmpty()) {
          done.tryComplete();
        } else if (System.nanoTime() >= deadline && !handingBack[0]) {
          handingBack[0] = true;
          List<Running> left = List.copyOf(running);
          Future.join(left.stream().map(this::visibleAgain).toList()).onComplete(ar -> {
            left.forEach(job -> job.fail(JobHandler.HANDED_BACK, "handed back: the node running this " + queue + " job is stopping"));
            log.warn("{} consumer stopped with {} job(s) still running: handed back to the poller, visible again now", queue, left.size());
            done.tryComplete();
          });
        }
      });
      return done.future().onComplete(x -> vertx.cancelTimer(timer));
    });
  }

  /** Makes the job's message visible again now, when this drain has the queues and the job names its message; never fails. */
  private Future<?> visibleAgain(Running job) {
    String msgId = job.headers().get("msg_id");
    if (queues == null || msgId == null) {
      return Future.succeededFuture();
    }
    long id;
    try {
      id = Long.parseLong(msgId);
    } catch (NumberFormatException e) {
      return Future.succeededFuture();
    }
    return queues.setVisibleAfter(queue, id, Duration.ZERO).recover(err -> {
      log.warn("{} job {} could not be made visible again ({}); its poller does it when told", queue, msgId, err.getMessage());
      return Future.succeededFuture();
    });
  }

  /** A message whose first answer (reply or failure) settles it; a later one is dropped. */
  private final class Running implements Message<Object> {
    private final Message<Object> msg;
    private final AtomicBoolean answered = new AtomicBoolean();

    Running(Message<Object> msg) {
      this.msg = msg;
    }

    private boolean settle() {
      running.remove(this);
      return answered.compareAndSet(false, true);
    }

    @Override
    public String address() {
      return msg.address();
    }

    @Override
    public MultiMap headers() {
      return msg.headers();
    }

    @Override
    public Object body() {
      return msg.body();
    }

    @Override
    public String replyAddress() {
      return msg.replyAddress();
    }

    @Override
    public boolean isSend() {
      return msg.isSend();
    }

    @Override
    public void reply(Object message, DeliveryOptions options) {
      if (settle()) {
        msg.reply(message, options);
      } else {
        log.info("{} job finished after it was handed back; its answer is dropped (msg_id {})", queue, msg.headers().get("msg_id"));
      }
    }

    @Override
    public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
      return settle() ? msg.replyAndRequest(message, options) : Future.failedFuture("the job was handed back");
    }
  }
}
