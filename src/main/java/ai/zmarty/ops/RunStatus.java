package ai.zmarty.ops;

import java.util.List;
import java.util.Locale;

/** How a nightly run ended: every step succeeded, a non-critical step failed, or it was aborted. */
public enum RunStatus {
  SUCCESS,
  PARTIAL,
  FAILED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Failed when the run was aborted (critical health), partial when any step failed, else success. */
  public static RunStatus of(boolean aborted, List<StepResult> steps) {
    if (aborted) {
      return FAILED;
    }
    return steps.stream().anyMatch(s -> s.status() == StepResult.Outcome.FAILED) ? PARTIAL : SUCCESS;
  }
}
