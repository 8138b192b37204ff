package ai.zmarty.ops;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops role's bus face of the nightly pipeline: {@code ops.nightly.run} (from the scheduler, or
 * anyone) runs it and replies with its summary, or fails with {@code CONFLICT} naming the run that
 * holds the cluster-wide lease.
 */
public final class NightlyVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(NightlyVerticle.class);

  private final NightlyPipeline pipeline;

  public NightlyVerticle(NightlyPipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<Object>consumer(Addresses.OPS_NIGHTLY_RUN, this::nightly).completion();
  }

  private void nightly(Message<Object> msg) {
    String trigger = msg.body() instanceof JsonObject body ? body.getString("trigger", "bus") : "bus";
    pipeline.run(trigger).onSuccess(msg::reply).onFailure(err -> {
      if (err instanceof PipelineStore.Refused refused) {
        log.info("nightly start refused: {}", refused.getMessage());
        msg.fail(ErrorCode.CONFLICT.failureCode(), refused.getMessage());
      } else {
        log.warn("nightly run could not start: {}", err.getMessage());
        msg.fail(ErrorCode.INTERNAL.failureCode(), "nightly run could not start: " + err.getMessage());
      }
    });
  }
}
