package io.etlpool.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * A borrower waiting for {@code need} connections. Returners hand connections to it directly; it can
 * also take free ones itself when it wakes. The tiny critical sections here never block.
 */
final class Waiter {

    static final int WAITING = 0;
    static final int SERVED = 1;
    static final int CANCELLED = 2;

    final Thread thread;
    final int need;
    private final PoolEntry[] got;
    private int filled;
    private volatile int state = WAITING;

    Waiter(Thread thread, int need) {
        this.thread = thread;
        this.need = need;
        this.got = new PoolEntry[need];
    }

    int state() {
        return state;
    }

    /** Gives it one connection; false if it stopped waiting. Wakes it when it has all it needs. */
    boolean offer(PoolEntry e) {
        synchronized (this) {
            if (state != WAITING) {
                return false;
            }
            got[filled++] = e;
            if (filled < need) {
                return true;
            }
            state = SERVED;
        }
        // outside the lock: the woken thread would otherwise find it still held and block on it
        if (thread != Thread.currentThread()) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** How many more it needs (0 once served or cancelled). */
    synchronized int missing() {
        return state == WAITING ? need - filled : 0;
    }

    /** The connections it was given, once served. */
    PoolEntry[] got() {
        return got;
    }

    /**
     * Stops waiting. Returns all connections if it was served meanwhile (the caller keeps them), else null;
     * connections of a partial fill go to {@code giveBack}.
     */
    PoolEntry[] cancel(java.util.function.Consumer<PoolEntry> giveBack) {
        PoolEntry[] partial;
        synchronized (this) {
            if (state == SERVED) {
                return got;
            }
            state = CANCELLED;
            partial = java.util.Arrays.copyOf(got, filled);
            filled = 0;
        }
        for (PoolEntry e : partial) {
            giveBack.accept(e);
        }
        return null;
    }

    /** Wakes it so it sees the pool closing. */
    void wake() {
        LockSupport.unpark(thread);
    }
}
