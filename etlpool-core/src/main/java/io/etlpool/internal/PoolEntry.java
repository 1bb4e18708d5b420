package io.etlpool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;

/**
 * One physical connection and its bookkeeping. Its state moves only by compare-and-set:
 * IDLE -> IN_USE (a borrower claimed it) -> IDLE (returned); IDLE -> RESERVED (housekeeping works on it)
 * -> IDLE or REMOVED; IN_USE -> REMOVED (discarded on return).
 */
final class PoolEntry {

    static final int IDLE = 0;
    static final int IN_USE = 1;
    static final int RESERVED = 2;
    static final int REMOVED = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PoolEntry.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Connection raw;
    final ConnectionDefaults defaults;
    final long createdNanos;
    /** When it is retired once idle (maxLifetime less jitter); Long.MAX_VALUE for never. */
    final long retireAtNanos;

    private volatile int state = RESERVED;

    /** Written by the returning thread before the permit is released, read by the next borrower. */
    long lastReturnedNanos;
    /** Last return or successful validation: validation before lending and keepalive count from here. */
    long lastCheckedNanos;
    /** The pool's fatal-error epoch when this entry was last known good. */
    int epoch;
    /** Set when a connection-loss error is seen; the entry is discarded on return. */
    volatile boolean broken;
    /** Its borrower asked for it to be closed on return. */
    volatile boolean evicted;

    // Borrow-time facts, for usage time and leak detection.
    long borrowedNanos;
    Thread borrower;
    Throwable borrowSite;
    /** Bumped on each execution and fetch; plain field, read racily by the leak detector (staleness is harmless). */
    int activity;
    int activitySeen;
    long activitySeenNanos;
    boolean leakReported;

    PoolEntry(Connection raw, ConnectionDefaults defaults, long createdNanos, long retireAtNanos) {
        this.raw = raw;
        this.defaults = defaults;
        this.createdNanos = createdNanos;
        this.retireAtNanos = retireAtNanos;
        this.lastReturnedNanos = createdNanos;
        this.lastCheckedNanos = createdNanos;
    }

    boolean cas(int expected, int next) {
        return STATE.compareAndSet(this, expected, next);
    }

    int state() {
        return state;
    }

    void setState(int next) {
        state = next;
    }
}
