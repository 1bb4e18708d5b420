package io.etlpool.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Opens connections in the background, never in a borrower's thread, so one slow or failing connect
 * stalls nobody. Each request opens one connection, on one of up to {@value #WORKERS} threads, so that
 * a pool that needs several connections at once (a job's parallel tasks starting together) gets them
 * side by side rather than one login after another. A request is dropped, before its first attempt or
 * after a failure, once the connection is no longer wanted (nobody waits and minSize is met) until
 * someone asks again. One asked for by waiting borrowers is held back while the connections there
 * serve the queue fast enough (GrowthPacer).
 *
 * <p>Requests are level-triggered: {@link #reconcile()} compares the demand (waiting borrowers' wanted
 * connections less those being opened, or what is missing to minSize) with the slots in use, and it
 * runs after every released slot (a connection removed, a request dropped), every waiter's arrival and
 * every housekeeping run. A borrower that arrives while a dropped request is giving back its slot is
 * therefore seen either by its own reconcile or by the dropping thread's: no request is lost.
 *
 * <p>Until the first connect succeeds, and while the database refuses, one thread at a time tries,
 * with exponential backoff (25 ms doubling to 250 ms): more threads never mean more attempts against
 * a database that is down. (The first login also tells the factory the server's version.) The backoff cap
 * bounds how long the pool takes to notice a database that is back (on average half of it), at four
 * attempts a second against one that is down.
 */
final class ConnectionOpener {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionOpener.class);
    static final long FIRST_BACKOFF_MS = 25;
    static final long MAX_BACKOFF_MS = 250;
    /** Connects at once at most (psycopg_pool's default number of workers, too). */
    static final int WORKERS = 3;

    private final Pool pool;
    private final ConnectionFactory factory;
    private final ThreadPoolExecutor executor;
    /** Connections open or being opened: the one count that keeps the pool within maxSize. */
    private final AtomicInteger slots = new AtomicInteger();
    /** Held by the one thread that tries before the first success and while the database refuses. */
    private final Semaphore retry = new Semaphore(1);
    private volatile SQLException lastError;
    private int consecutiveFailures;
    private long backoffMs = FIRST_BACKOFF_MS;
    /**
     * How long a connect takes lately: each new one counts half. The first connect of a JVM loads the
     * driver's classes and can take ten times longer than the next; it fades instead of staying in a mean.
     */
    private volatile long recentConnectNanos;
    /** The last watch that ended in a connect, and when (guarded by this). */
    private GrowthPacer lastOpenedBy;
    private long lastOpenedAt;
    /** Test seam: runs after a request is dropped and before its slot is released (null: nothing). */
    private volatile Runnable beforeDroppedSlotRelease;

    ConnectionOpener(Pool pool, ConnectionFactory factory) {
        this.pool = pool;
        this.factory = factory;
        this.executor = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Pool.threads(pool.name() + "-opener"));
        executor.allowCoreThreadTimeOut(true); // an idle pool keeps no opener thread
    }

    /**
     * Asks for as many connections as are wanted now and not yet being opened (Pool.connectionsShort),
     * within maxSize. Cheap when nothing is wanted: two reads.
     */
    void reconcile() {
        while (true) {
            int s = slots.get();
            if (s >= pool.maxSize() || pool.connectionsShort(s) <= 0) {
                return;
            }
            if (slots.compareAndSet(s, s + 1)) {
                try {
                    executor.execute(this::openOne);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    slots.decrementAndGet();
                    return;
                }
            }
        }
    }

    /** A connection was closed: its slot is free, and a replacement is asked for if one is wanted. */
    void released() {
        slots.decrementAndGet();
        reconcile();
    }

    private void openOne() {
        boolean opened = false;
        try {
            if (!stillWantedAfterDrain()) {
                return;
            }
            while (pool.wantsConnections()) { // the borrowers it was for may have been served meanwhile
                boolean retrying = failing();
                if (retrying) { // one thread at a time: wait for the one trying, then see how it went
                    if (!awaitTurn()) {
                        return;
                    }
                    if (!failing()) {
                        retry.release();
                        retrying = false;
                    } else if (!pool.wantsConnections()) { // it waited its turn, maybe for long
                        retry.release();
                        return;
                    }
                }
                long start = System.nanoTime();
                PoolEntry e;
                try {
                    e = connectOnce(start, retrying);
                } finally {
                    if (retrying) {
                        retry.release();
                    }
                }
                if (e != null) {
                    opened = true;
                    pool.added(e, ConnectionFactory.elapsed(start));
                    return;
                }
            }
        } finally {
            if (!opened) {
                releaseDropped();
            }
        }
    }

    /** A request ends without a connection: its slot is free again. */
    private void releaseDropped() {
        Runnable hook = beforeDroppedSlotRelease;
        try {
            if (hook != null) {
                hook.run();
            }
        } finally {
            released(); // a borrower that came meanwhile may have found no free slot: look again
        }
    }

    /** For tests: {@code hook} runs in the opener's thread between dropping a request and releasing its slot. */
    void beforeDroppedSlotRelease(Runnable hook) {
        beforeDroppedSlotRelease = hook;
    }

    /** One connect; null if it failed (after backing off) or the pool is closing. */
    private PoolEntry connectOnce(long start, boolean retrying) {
        try {
            PoolEntry e = factory.open(pool.epoch());
            succeeded(System.nanoTime() - start);
            return e;
        } catch (Throwable e) { // an Error too: retried with backoff like any failed connect, never in a tight loop
            if (pool.closing()) {
                return null; // close() interrupted the connect: not a failure of the database
            }
            SQLException error = e instanceof SQLException ? (SQLException) e
                    : new SQLException("opening a connection failed: " + e, "08001", e);
            sleep(failed(error, retrying));
            return null;
        }
    }

    /** Takes the retry turn; false if interrupted (the pool is closing). */
    private boolean awaitTurn() {
        try {
            retry.acquire();
            return true;
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Still wanted, after watching the queue while the connections there serve it fast enough
     * (GrowthPacer). Only a request for waiting borrowers of a pool that has a connection and meets
     * minSize is watched; those for minSize, and for a pool with no connection, are opened at once.
     */
    private boolean stillWantedAfterDrain() {
        if (!pool.wantsConnections()) {
            return false;
        }
        long connect = recentConnectNanos;
        int total = pool.total();
        if (connect <= 0 || total == 0 || total < pool.minSize()) {
            return true;
        }
        GrowthPacer pacer = pacerFor(connect);
        do {
            LockSupport.parkNanos(this, pacer.stepNanos());
            if (!pool.wantsConnections()) {
                return false; // everyone was served (or the pool is closing)
            }
        } while (pacer.keepWatching(pool.bag().waiting(), pool.servedWaiters(), System.nanoTime()));
        synchronized (this) {
            lastOpenedBy = pacer;
            lastOpenedAt = System.nanoTime();
        }
        return true;
    }

    /**
     * A pacer for the next request. Within one connect time of a watch that ended in a connect, the queue
     * is the same burst: the new watch goes on from what that one saw instead of learning it again.
     */
    private synchronized GrowthPacer pacerFor(long connectNanos) {
        long now = System.nanoTime();
        if (lastOpenedBy != null && now - lastOpenedAt < connectNanos) {
            return lastOpenedBy.continued(connectNanos);
        }
        return new GrowthPacer(pool.bag().waiting(), pool.servedWaiters(), now, connectNanos);
    }

    /** Not connected yet, or the last attempt failed: then one thread tries at a time. */
    private synchronized boolean failing() {
        return consecutiveFailures > 0 || recentConnectNanos == 0;
    }

    private synchronized void succeeded(long tookNanos) {
        long recent = recentConnectNanos;
        recentConnectNanos = Math.max(1, recent == 0 ? tookNanos : (recent + tookNanos) / 2);
        if (consecutiveFailures > 0) {
            LOG.info("{} - connected again after {} failed attempts", pool.name(), consecutiveFailures);
        }
        consecutiveFailures = 0;
        backoffMs = FIRST_BACKOFF_MS;
        lastError = null;
    }

    /**
     * Records a failed connect; returns how long to back off before the next attempt. The backoff grows
     * with the first failure and with each attempt made one at a time after it, not with attempts that
     * ran side by side with the first failure and failed with it.
     */
    private long failed(SQLException error, boolean retrying) {
        int failures;
        long backoff;
        synchronized (this) {
            boolean first = consecutiveFailures == 0;
            failures = ++consecutiveFailures;
            lastError = error;
            backoff = backoffMs;
            if (first || retrying) {
                backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
            }
        }
        pool.connectFailed(error, failures);
        String what = ConnectErrors.describe(error, pool.config().jdbcUrl(), pool.config().username());
        if (failures == 1) {
            LOG.warn("{} - opening a connection failed: {}; retrying in the background", pool.name(), what);
        } else {
            LOG.debug("{} - opening a connection failed again ({} in a row): {}", pool.name(), failures, what);
        }
        return backoff;
    }

    /** The last connect error, unless a connect succeeded since; else null. */
    SQLException currentError() {
        return lastError;
    }

    /** Connections being opened now (approximate while one is joining the pool). */
    int pending() {
        return Math.max(0, slots.get() - pool.total());
    }

    /** Stops opening (interrupting a backoff); the caller waits for the threads (PoolShutdown). */
    void shutdown() {
        executor.shutdownNow();
    }

    ThreadPoolExecutor executor() {
        return executor;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutdownNow: the loop sees the pool closing
        }
    }
}
