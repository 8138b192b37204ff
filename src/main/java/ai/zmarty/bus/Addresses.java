package ai.zmarty.bus;

/** Every event-bus address in one place. */
public final class Addresses {
  private Addresses() {}

  /** Prefix of the job addresses the pgmq poller sends to: {@code jobs.<queue>}. */
  public static final String JOBS_PREFIX = "jobs.";

  /** Live events for dashboards; only {@code events.*} is bridged to browsers. */
  public static final String EVENTS_PREFIX = "events.";

  public static String job(String queue) {
    return JOBS_PREFIX + queue;
  }
}
