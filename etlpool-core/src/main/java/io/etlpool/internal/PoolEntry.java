package io.etlpool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;

/**
 * One physical connection and its bookkeeping. Its state moves only by compare-and-set:
 * IDLE -> IN_USE (a borrower claimed it) -> IDLE (returned); IDLE -> RESERVED (housekeeping works on it)
 * -> IDLE or REMOVED; IN_USE -> REMOVED (discarded on return); any state -> REMOVED when close()
 * takes what is left ({@link #remove()}: only one remover wins).
 */
final class PoolEntry extends PoolEntryPadAfter {

    static final int IDLE = 0;
    static final int IN_USE = 1;
    static final int RESERVED = 2;
    static final int REMOVED = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PoolEntryHotFields.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Connection raw;
    final ConnectionDefaults defaults;
    final long createdNanos;
    /** When it is retired once idle (maxLifetime less jitter); Long.MAX_VALUE for never. */
    final long retireAtNanos;

    /** Set when a connection-loss error is seen; the entry is discarded on return. */
    volatile boolean broken;
    /** Its borrower asked for it to be closed on return. */
    volatile boolean evicted;
    /** Soft-evicted while lent: closed (not reused) when it comes back. */
    volatile boolean retireOnReturn;
    /**
     * The driver applied some of its login settings with SQL after the login (see ConnectionFactory.open):
     * a session reset would undo them, so such a connection is replaced instead of reset.
     */
    boolean driverSetsBySql;

    // Borrow-time facts kept only with leak detection on (the hot ones are in PoolEntryHotFields). The
    // borrower writes borrower last, volatile, so the leak detector that reads it first sees the rest of
    // this borrow's facts (borrowSite, borrowedNanos, activitySeenNanos), not a previous borrow's.
    volatile Thread borrower;
    Throwable borrowSite;
    volatile boolean leakReported;

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

    /**
     * Takes it out of the pool from whatever state it is in. Returns the state it had, or REMOVED when
     * someone else removed it first: of a discard and a forced close at the same moment only one wins.
     */
    int remove() {
        while (true) {
            int s = state;
            if (s == REMOVED || cas(s, REMOVED)) {
                return s;
            }
        }
    }
}
