package ai.zmarty.config;

/**
 * Where the chat's per-user limits are counted ({@code CHAT_LIMITS_SCOPE}): {@code CLUSTER} in
 * database A, over every API node together; {@code NODE} in each node's memory.
 */
public enum LimitScope {
  CLUSTER,
  NODE
}
