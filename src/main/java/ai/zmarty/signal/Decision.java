package ai.zmarty.signal;

import java.util.List;

/**
 * What the strategy says about one bar: direction, a 0–1 score, entry at the bar's close, a stop
 * and targets at 1R, 2R and 3R (none for flat), the reasons and how many bars the idea has to work.
 */
public record Decision(Direction direction, double score, double entry, Double stop, List<Double> targets, List<Reason> reasons, int horizonBars) {}
