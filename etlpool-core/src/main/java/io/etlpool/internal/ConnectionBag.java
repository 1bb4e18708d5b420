package io.etlpool.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The pool's connections and the fair hand-off between returners and borrowers.
 *
 * <p>A fair semaphore holds one permit per IDLE entry (never more permits than idle entries): a
 * borrower first takes a permit, waiting first-come-first-served with a deadline, then claims an idle
 * entry by compare-and-set, trying the one it used last first (warm caches, no contention). A multi
 * permit acquire gives all-or-none leases that queue fairly with single borrowers.
 */
final class ConnectionBag {

    private final Semaphore idle = new Semaphore(0, true);
    private final ThreadLocal<PoolEntry> lastUsed = new ThreadLocal<>();
    private volatile PoolEntry[] entries = new PoolEntry[0];
    private volatile boolean closed;

    /** Takes permits for n idle entries, waiting up to the timeout; false on timeout. */
    boolean acquirePermits(int n, long timeoutNanos) throws InterruptedException {
        // tryAcquire with a timeout honours fairness even when the timeout is zero
        return idle.tryAcquire(n, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** A permit without waiting and ahead of the queue: housekeeping only. */
    boolean tryAcquirePermitBarging() {
        return idle.tryAcquire();
    }

    void releasePermits(int n) {
        idle.release(n);
    }

    /** Claims an idle entry; the caller holds a permit, so one exists. Null once the bag is closed. */
    PoolEntry claim() {
        PoolEntry hint = lastUsed.get();
        if (hint != null && hint.cas(PoolEntry.IDLE, PoolEntry.IN_USE)) {
            return hint;
        }
        while (true) {
            for (PoolEntry e : entries) {
                if (e.cas(PoolEntry.IDLE, PoolEntry.IN_USE)) {
                    lastUsed.set(e);
                    return e;
                }
            }
            if (closed) {
                return null;
            }
            Thread.onSpinWait(); // an entry is being returned: its state flips before its permit is released
        }
    }

    /** Makes an entry idle again and lends it to the next borrower. */
    void requite(PoolEntry e) {
        e.setState(PoolEntry.IDLE);
        idle.release();
    }

    /** Adds a new entry as idle. */
    synchronized void add(PoolEntry e) {
        PoolEntry[] now = entries;
        PoolEntry[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = e;
        entries = next;
        requite(e);
    }

    /** Removes an entry (the caller made it REMOVED). */
    synchronized void remove(PoolEntry e) {
        PoolEntry[] now = entries;
        List<PoolEntry> keep = new ArrayList<>(now.length);
        for (PoolEntry x : now) {
            if (x != e) {
                keep.add(x);
            }
        }
        entries = keep.toArray(new PoolEntry[0]);
    }

    /** Lends nothing more: waiting borrowers wake up and find it closed. */
    synchronized void close() {
        if (!closed) {
            closed = true;
            idle.release(Integer.MAX_VALUE / 4);
        }
    }

    PoolEntry[] snapshot() {
        return entries;
    }

    int size() {
        return entries.length;
    }

    int idleCount() {
        return idle.availablePermits();
    }

    int waiting() {
        return idle.getQueueLength();
    }

    boolean hasWaiters() {
        return idle.hasQueuedThreads();
    }
}
