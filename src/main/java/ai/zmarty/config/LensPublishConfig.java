package ai.zmarty.config;

import ai.zmarty.market.Timeframe;
import java.time.Duration;

/**
 * The lens publishing side: the decision sockets of an API node and the scoring of the judges on
 * a worker.
 *
 * @param wsMaxConnections decision sockets one node holds open; the next is closed with 1013
 *     ({@code LENS_WS_MAX_CONNECTIONS})
 * @param wsPingInterval how often the server pings each socket ({@code LENS_WS_PING_INTERVAL})
 * @param wsPongTimeout a socket that sent no pong (or any frame) for this long is closed with 4408
 *     ({@code LENS_WS_PONG_TIMEOUT})
 * @param wsWriteQueueBytes the bytes one socket may have waiting to be sent; a decision that
 *     finds the queue full closes the socket with 1008 ({@code LENS_WS_WRITE_QUEUE_BYTES})
 * @param judgeTimeframe the bars a decision is resolved on ({@code LENS_JUDGE_TIMEFRAME})
 * @param judgeHorizonBars bars after the decision within which stop or target must be reached,
 *     else the last one's close decides ({@code LENS_JUDGE_HORIZON_BARS})
 * @param judgeInterval how often a worker resolves the decisions that are due ({@code LENS_JUDGE_INTERVAL})
 */
public record LensPublishConfig(
    int wsMaxConnections,
    Duration wsPingInterval,
    Duration wsPongTimeout,
    int wsWriteQueueBytes,
    Timeframe judgeTimeframe,
    int judgeHorizonBars,
    Duration judgeInterval) {

  static LensPublishConfig from(RawConfig raw) {
    Duration ping = raw.duration("LENS_WS_PING_INTERVAL", Duration.ofMillis(50), Duration.ofMinutes(10));
    Duration pong = raw.duration("LENS_WS_PONG_TIMEOUT", Duration.ofMillis(100), Duration.ofHours(1));
    if (pong.compareTo(ping) <= 0) {
      throw new ConfigException("LENS_WS_PONG_TIMEOUT", "must be longer than LENS_WS_PING_INTERVAL (" + ping + "), got " + pong);
    }
    String tf = raw.required("LENS_JUDGE_TIMEFRAME");
    Timeframe timeframe = Timeframe.exactly(tf).orElseThrow(() -> new ConfigException("LENS_JUDGE_TIMEFRAME", "must be one of " + Timeframe.labels() + ", got '" + tf + "'"));
    return new LensPublishConfig(
        raw.integer("LENS_WS_MAX_CONNECTIONS", 1, 1_000_000),
        ping,
        pong,
        raw.integer("LENS_WS_WRITE_QUEUE_BYTES", 1024, 64 * 1024 * 1024),
        timeframe,
        raw.integer("LENS_JUDGE_HORIZON_BARS", 1, 1000),
        raw.duration("LENS_JUDGE_INTERVAL", Duration.ofMillis(100), Duration.ofDays(1)));
  }
}
