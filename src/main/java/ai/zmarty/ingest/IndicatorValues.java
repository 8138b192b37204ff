package ai.zmarty.ingest;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code values} of one {@code indicators} row: the data contract between ingest (writer) and
 * the signal strategy (reader). A value is null while its indicator has too few bars to say
 * anything; JSON keys are snake case with the period where there is one ({@code ema_9}, {@code
 * macd_hist}, {@code cci_20}, …). The first eight are the ones the first strategy reads; the
 * others complete the seed's 21 indicators ({@link IndicatorSeries} says how each is computed).
 */
public record IndicatorValues(
    Double ema9,
    Double ema21,
    Double ema50,
    Double rsi14,
    Double macd,
    Double macdSignal,
    Double macdHist,
    Double atr14,
    Double sma200,
    Double bbPercentB,
    Double bbWidth,
    Double stochK,
    Double stochD,
    Double adx14,
    Double cci20,
    Double obvChange20,
    Double vwap20,
    Double williamsR14,
    Double mfi14,
    Double roc10,
    Double cmf20,
    Double aroonUp25,
    Double aroonDown25,
    Double psar,
    Double supertrend,
    Double ichimokuTenkan,
    Double ichimokuKijun,
    Double ichimokuSenkouA,
    Double ichimokuSenkouB,
    Double donchianUpper,
    Double donchianLower,
    Double donchianMiddle) {

  /** Every JSON key, in the order of the components. */
  public static final List<String> KEYS =
      List.of(
          "ema_9",
          "ema_21",
          "ema_50",
          "rsi_14",
          "macd",
          "macd_signal",
          "macd_hist",
          "atr_14",
          "sma_200",
          "bb_percent_b",
          "bb_width",
          "stoch_k",
          "stoch_d",
          "adx_14",
          "cci_20",
          "obv_change_20",
          "vwap_20",
          "williams_r_14",
          "mfi_14",
          "roc_10",
          "cmf_20",
          "aroon_up_25",
          "aroon_down_25",
          "psar",
          "supertrend",
          "ichimoku_tenkan",
          "ichimoku_kijun",
          "ichimoku_senkou_a",
          "ichimoku_senkou_b",
          "donchian_upper",
          "donchian_lower",
          "donchian_middle");

  /** The first strategy's eight inputs; the other indicators unknown (null). */
  public IndicatorValues(Double ema9, Double ema21, Double ema50, Double rsi14, Double macd, Double macdSignal, Double macdHist, Double atr14) {
    this(ema9, ema21, ema50, rsi14, macd, macdSignal, macdHist, atr14, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("ema_9", ema9)
        .put("ema_21", ema21)
        .put("ema_50", ema50)
        .put("rsi_14", rsi14)
        .put("macd", macd)
        .put("macd_signal", macdSignal)
        .put("macd_hist", macdHist)
        .put("atr_14", atr14)
        .put("sma_200", sma200)
        .put("bb_percent_b", bbPercentB)
        .put("bb_width", bbWidth)
        .put("stoch_k", stochK)
        .put("stoch_d", stochD)
        .put("adx_14", adx14)
        .put("cci_20", cci20)
        .put("obv_change_20", obvChange20)
        .put("vwap_20", vwap20)
        .put("williams_r_14", williamsR14)
        .put("mfi_14", mfi14)
        .put("roc_10", roc10)
        .put("cmf_20", cmf20)
        .put("aroon_up_25", aroonUp25)
        .put("aroon_down_25", aroonDown25)
        .put("psar", psar)
        .put("supertrend", supertrend)
        .put("ichimoku_tenkan", ichimokuTenkan)
        .put("ichimoku_kijun", ichimokuKijun)
        .put("ichimoku_senkou_a", ichimokuSenkouA)
        .put("ichimoku_senkou_b", ichimokuSenkouB)
        .put("donchian_upper", donchianUpper)
        .put("donchian_lower", donchianLower)
        .put("donchian_middle", donchianMiddle);
  }

  public static IndicatorValues fromJson(JsonObject json) {
    return new IndicatorValues(
        number(json, "ema_9"),
        number(json, "ema_21"),
        number(json, "ema_50"),
        number(json, "rsi_14"),
        number(json, "macd"),
        number(json, "macd_signal"),
        number(json, "macd_hist"),
        number(json, "atr_14"),
        number(json, "sma_200"),
        number(json, "bb_percent_b"),
        number(json, "bb_width"),
        number(json, "stoch_k"),
        number(json, "stoch_d"),
        number(json, "adx_14"),
        number(json, "cci_20"),
        number(json, "obv_change_20"),
        number(json, "vwap_20"),
        number(json, "williams_r_14"),
        number(json, "mfi_14"),
        number(json, "roc_10"),
        number(json, "cmf_20"),
        number(json, "aroon_up_25"),
        number(json, "aroon_down_25"),
        number(json, "psar"),
        number(json, "supertrend"),
        number(json, "ichimoku_tenkan"),
        number(json, "ichimoku_kijun"),
        number(json, "ichimoku_senkou_a"),
        number(json, "ichimoku_senkou_b"),
        number(json, "donchian_upper"),
        number(json, "donchian_lower"),
        number(json, "donchian_middle"));
  }

  private static Double number(JsonObject json, String key) {
    return json.getValue(key) instanceof Number n ? n.doubleValue() : null;
  }
}
