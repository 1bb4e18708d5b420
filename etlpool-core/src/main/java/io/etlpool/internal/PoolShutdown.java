package io.etlpool.internal;

import io.etlpool.CloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Closing a pool, as one explicit sequence:
 * <ol>
 *   <li>mark the pool closing: nothing new is lent or opened;</li>
 *   <li>fail the waiting borrowers;</li>
 *   <li>stop the opener and the housekeeper and wait for their threads (bounded), so no connect or
 *       keepalive check is still working on a connection;</li>
 *   <li>close the idle connections;</li>
 *   <li>wait up to closeGracePeriod for borrowed ones (only those a borrower holds: an entry the
 *       housekeeper was checking is not borrowed), then close them under their borrowers and report
 *       that (log, and the MBean's notification) only if there were any;</li>
 *   <li>stop the closer thread, unregister the MBean.</li>
 * </ol>
 * Connections given back or opened after step 1 are closed at once (Pool.giveBack, Pool.added). No
 * step can stop the sequence: what a listener or the driver throws is caught on the way. An interrupt
 * of the closing thread does not shorten the grace period: the flag is cleared once at the start, so
 * the waits below do not spin, and set again at the end. A second close() returns once the first has
 * completed.
 */
final class PoolShutdown {

    private static final Logger LOG = LoggerFactory.getLogger("io.etlpool.pool");
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** A connect in progress may take up to PgJDBC's loginTimeout (the pool caps it at 10 s); wait this long. */
    private static final long OPENER_JOIN_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Pool pool;
    private final HouseKeeper houseKeeper;
    private final ExecutorService closer;
    private final JmxRegistration jmx;
    private final ReentrantLock lock = new ReentrantLock(); // not synchronized: no pinned carrier while waiting
    private volatile boolean done;
    private boolean interrupted;

    PoolShutdown(Pool pool, HouseKeeper houseKeeper, ExecutorService closer, JmxRegistration jmx) {
        this.pool = pool;
        this.houseKeeper = houseKeeper;
        this.closer = closer;
        this.jmx = jmx;
    }

    void run() {
        if (done) {
            return;
        }
        lock.lock(); // uninterruptibly: a second close waits for the first to complete
        try {
            if (done) {
                return;
            }
            interrupted = Thread.interrupted();
            try {
                sequence();
                done = true;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void sequence() {
        pool.markClosing();
        ConnectionBag bag = pool.bag();
        bag.close();
        step("stopping the opener", () -> {
            pool.opener().shutdown();
            join(pool.opener().executor(), OPENER_JOIN_NANOS, "a connect in progress");
        });
        step("stopping the housekeeper", () -> {
            houseKeeper.stop();
            // a keepalive check is bounded by validationTimeout
            join(houseKeeper.executor(), pool.config().validationTimeout().toNanos() + POLL_NANOS,
                    "a keepalive check in progress");
        });
        step("closing idle connections", this::sweepIdle);
        step("waiting for borrowed connections", this::awaitBorrowed);
        step("closing borrowed connections", this::forceClose);
        step("stopping the closer", () -> {
            closer.shutdown();
            join(closer, TimeUnit.SECONDS.toNanos(5), "closing discarded connections");
        });
        if (jmx != null) {
            step("unregistering the MBean", jmx::unregister);
        }
        step("logging", () -> LOG.info("{} - closed: {}", pool.name(), pool.stats()));
    }

    private void sweepIdle() {
        for (PoolEntry e : pool.bag().snapshot()) {
            pool.closeIfIdle(e);
        }
    }

    /** Until no borrower holds a connection, or closeGracePeriod has passed. */
    private void awaitBorrowed() {
        long deadline = System.nanoTime() + pool.config().closeGracePeriod().toNanos();
        while (borrowed() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(this, Math.min(POLL_NANOS, Math.max(1, deadline - System.nanoTime())));
            if (Thread.interrupted()) {
                interrupted = true; // cleared, so the next park waits again instead of returning at once
            }
            sweepIdle(); // one given back meanwhile that its borrower did not close itself
        }
    }

    private int borrowed() {
        int n = 0;
        for (PoolEntry e : pool.bag().snapshot()) {
            if (e.state() == PoolEntry.IN_USE) {
                n++;
            }
        }
        return n;
    }

    /** Closes what is left; only connections a borrower held count as forced. */
    private void forceClose() {
        int forced = 0;
        for (PoolEntry e : pool.bag().snapshot()) {
            e.broken = true;
            int was = e.remove();
            if (was == PoolEntry.REMOVED) {
                continue; // its borrower or the closer got there first
            }
            if (was == PoolEntry.IN_USE) {
                forced++;
            }
            pool.removeEntry(e);
            pool.closeRaw(e, CloseReason.POOL_CLOSED);
        }
        if (forced > 0) {
            String message = forced + " connection(s) were still borrowed after closeGracePeriod ("
                    + pool.config().closeGracePeriod().toMillis() + " ms) and were closed under their borrowers";
            LOG.warn("{} - {}", pool.name(), message);
            if (jmx != null) {
                jmx.forcedClose(forced, message);
            }
        }
    }

    private void join(ExecutorService executor, long timeoutNanos, String what) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            try {
                if (!executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warn("{} - {} did not end within {} ms of close; closing goes on", pool.name(), what,
                            TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                }
                return;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /** Runs one step; what it throws is logged, and closing goes on with the next step. */
    private void step(String what, Runnable step) {
        try {
            step.run();
        } catch (Throwable t) {
            LOG.warn("{} - {} failed while closing; closing goes on", pool.name(), what, t);
        }
    }
}
