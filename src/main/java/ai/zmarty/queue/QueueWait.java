package ai.zmarty.queue;

/**
 * One queue as /healthz sees it: its depth, how many messages are ready for a worker now, and how
 * long the oldest of those has waited since it became ready ({@code null} when none waits).
 */
public record QueueWait(String queue, long length, long waiting, Integer oldestWaitSeconds) {}
