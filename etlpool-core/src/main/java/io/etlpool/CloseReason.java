package io.etlpool;

/** Why the pool closed one of its connections. */
public enum CloseReason {
    /** A connection-loss error was seen on it, or it was found closed. */
    BROKEN,
    /** It failed validation before being lent, or during keepalive. */
    VALIDATION_FAILED,
    /** It could not be cleaned on return (rollback or state reset failed). */
    RESET_FAILED,
    /** Its user asked for it: {@link EtlPool#evict(java.sql.Connection)}. */
    EVICTED,
    /** It stayed idle longer than idleTimeout while the pool had more than minSize. */
    IDLE_TIMEOUT,
    /** It reached maxLifetime while idle. */
    MAX_LIFETIME,
    /** The pool shrank ({@link EtlPool#resize(int, int)}). */
    SHRINK,
    /** The pool was closed. */
    POOL_CLOSED
}
