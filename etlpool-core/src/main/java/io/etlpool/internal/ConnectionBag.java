package io.etlpool.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The pool's connections and the hand-off between returners and borrowers.
 *
 * <ul>
 *   <li>A borrower that finds an idle connection claims it by compare-and-set, trying the one it used
 *       last first: no lock, no system call.</li>
 *   <li>A borrower that finds none retries a few times, yielding its time slice in between, before it
 *       queues: a holder preempted between borrow and return usually gives back within one slice, and
 *       taking that connection costs no context switch. This short window is the only overtaking. A
 *       virtual thread skips it: it queues at once.</li>
 *   <li>Once anyone is queued, every returned or newly opened connection goes straight to the oldest
 *       waiter, in arrival order, and is never left idle for others to take.</li>
 *   <li>Only the oldest waiter may fill a multi-connection request piece by piece; others take all they
 *       need at once or nothing, so two partial leases can never block each other.</li>
 * </ul>
 * Measured in the micro and macro benchmarks (docs/BENCHMARKS.md): the retry window keeps throughput
 * when threads outnumber connections, where a strictly fair pool pays a context switch per borrow, and
 * the strict queue behind it keeps the tail latency low.
 */
final class ConnectionBag {

    /**
     * Chances a borrower on a platform thread gives running holders to give back before it queues (see
     * await; a virtual thread queues at once). Measured at
     * 32 threads on 10 connections of a real server: 3 gave a p99 task latency of 4-6 ms, 10 gave
     * 1.7-2.7 ms at a slightly higher throughput; the micro benchmark did not change.
     */
    private static final int YIELDS_BEFORE_QUEUEING = 10;

    private final ThreadLocal<PoolEntry> lastUsed = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<Waiter> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile PoolEntry[] entries = new PoolEntry[0];
    private volatile boolean closed;

    /** An idle entry claimed for the caller, or null when none is idle now. */
    PoolEntry tryClaim() {
        PoolEntry hint = lastUsed.get();
        if (hint != null && hint.cas(PoolEntry.IDLE, PoolEntry.IN_USE)) {
            return hint;
        }
        // read before CAS: a failing CAS still takes the cache line from the other cores
        for (PoolEntry e : entries) {
            if (e.state() == PoolEntry.IDLE && e.cas(PoolEntry.IDLE, PoolEntry.IN_USE)) {
                lastUsed.set(e);
                return e;
            }
        }
        return null;
    }

    /** n idle entries at once, or none (what was claimed is given back). */
    PoolEntry[] tryClaimAll(int n) {
        PoolEntry[] got = new PoolEntry[n];
        for (int i = 0; i < n; i++) {
            got[i] = tryClaim();
            if (got[i] == null) {
                for (int j = 0; j < i; j++) {
                    requite(got[j]);
                }
                return null;
            }
        }
        return got;
    }

    /**
     * Waits for n entries until the deadline. Returns them, or null on timeout or when the bag closes.
     * {@code onMiss} runs first, once the caller counts as waiting (the pool asks for more connections:
     * a connect takes milliseconds, and the opener drops the request if nobody waits by its turn).
     */
    PoolEntry[] await(int n, long deadline, Runnable onMiss) throws InterruptedException {
        waiting.incrementAndGet();
        Waiter w = null;
        try {
            onMiss.run();
            // A holder preempted between borrow and return usually gives back within one time slice:
            // letting it run is cheaper than queueing and a hand-off. (Skipping this once anyone is
            // queued, or when more borrowers are short than there are connections, made 32 threads on
            // 8 connections convoy through the queue in the micro benchmark: 0.02-0.5x HikariCP.)
            // A virtual thread queues at once: its yield only goes round the scheduler's queue behind
            // thousands of others (10,000 virtual threads on 10 connections of a real server, JDK 25:
            // 10 yields 0.6x HikariCP's throughput, 3 or 1 yield 0.8x, none 0.95-1x; docs/BENCHMARKS.md).
            int yields = VirtualThreadCheck.isVirtual(Thread.currentThread()) ? 0 : YIELDS_BEFORE_QUEUEING;
            for (int i = 0; i < yields; i++) {
                Thread.yield();
                PoolEntry[] quick = n == 1 ? single(tryClaim()) : tryClaimAll(n);
                if (quick != null) {
                    return quick;
                }
            }
            w = new Waiter(Thread.currentThread(), n);
            queue.add(w);
            while (true) {
                if (closed) {
                    return w.cancel(this::requite);
                }
                if (w.state() == Waiter.WAITING) {
                    takeIdle(w);
                }
                if (w.state() == Waiter.SERVED) {
                    return w.got();
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return w.cancel(this::requite);
                }
                LockSupport.parkNanos(this, remaining);
                if (Thread.interrupted()) {
                    PoolEntry[] served = w.cancel(this::requite);
                    if (served != null) {
                        for (PoolEntry e : served) {
                            requite(e);
                        }
                    }
                    throw new InterruptedException();
                }
            }
        } finally {
            if (w != null) {
                // Only the waiter unlinks itself, so it is always found, near the head once served. (When
                // the hand-off unlinked served waiters too, this remove missed and scanned the whole
                // queue: with 10,000 virtual threads queued, 58% of the CPU went there.)
                queue.remove(w);
            }
            waiting.decrementAndGet();
        }
    }

    private static PoolEntry[] single(PoolEntry e) {
        return e == null ? null : new PoolEntry[]{e};
    }

    /** A waiter takes idle entries itself: piece by piece at the head of the queue, else all at once. */
    private void takeIdle(Waiter w) {
        int missing = w.missing();
        if (missing == 0) {
            return;
        }
        if (missing == 1 || oldestWaiting() == w) {
            for (; missing > 0; missing--) {
                PoolEntry e = tryClaim();
                if (e == null) {
                    return;
                }
                if (!w.offer(e)) {
                    requite(e);
                    return;
                }
            }
        } else {
            PoolEntry[] all = tryClaimAll(missing);
            if (all != null) {
                for (PoolEntry e : all) {
                    if (!w.offer(e)) {
                        requite(e);
                    }
                }
            }
        }
    }

    /** Makes an entry available again: to the oldest waiter when anyone waits, else idle. */
    void requite(PoolEntry e) {
        // IDLE before reading the waiter count, while a waiter counts itself before it looks for idle
        // entries: so either this sees the waiter, or the waiter sees the idle entry. No lost wake-up.
        e.setState(PoolEntry.IDLE);
        if (waiting.get() > 0 && !closed) {
            handToOldestWaiter(e);
        }
    }

    private void handToOldestWaiter(PoolEntry e) {
        // Virtual threads too: leaving it idle for the returner to take back (as HikariCP does) made the
        // counted hand-offs look faster and starved the queue (docs/BENCHMARKS.md, "Virtual threads").
        // Waiters no longer waiting (served, timed out) stay queued until they unlink themselves: few,
        // since each served one holds a connection, and skipping them is cheaper than unlinking twice.
        for (Waiter head : queue) {
            if (head.state() != Waiter.WAITING) {
                continue;
            }
            if (!e.cas(PoolEntry.IDLE, PoolEntry.IN_USE)) {
                return; // a borrower claimed it meanwhile: it is in use, not lost
            }
            if (head.offer(e)) {
                return;
            }
            e.setState(PoolEntry.IDLE); // that waiter gave up meanwhile: try the next
        }
    }

    /** The first queued waiter still waiting, or null. */
    private Waiter oldestWaiting() {
        for (Waiter x : queue) {
            if (x.state() == Waiter.WAITING) {
                return x;
            }
        }
        return null;
    }

    /** Adds a new entry (claimed, so no borrower sees it half-added) and lends it like a returned one. */
    void add(PoolEntry e) {
        e.setState(PoolEntry.IN_USE);
        synchronized (this) {
            PoolEntry[] now = entries;
            PoolEntry[] next = Arrays.copyOf(now, now.length + 1);
            next[now.length] = e;
            entries = next;
        }
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
    void close() {
        closed = true;
        for (Waiter w : queue) {
            w.wake();
        }
    }

    boolean isClosed() {
        return closed;
    }

    PoolEntry[] snapshot() {
        return entries;
    }

    int size() {
        return entries.length;
    }

    int waiting() {
        return waiting.get();
    }

    boolean hasWaiters() {
        return waiting.get() > 0;
    }
}
