package ai.zmarty.signal;

/**
 * One input of a decision: what it saw ({@code detail}), which way it pushed ({@code long},
 * {@code short}, {@code neutral}; {@code missing} when the value was not there yet) and how much
 * it added to the composite score (weight × its vote, from −weight to +weight).
 */
public record Reason(String input, String detail, String push, double weight, double contribution) {}
