package io.etlpool.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Opens connections in the background, never in a borrower's thread, so one slow or failing connect
 * stalls nobody. Each request opens one connection, retrying with exponential backoff (25 ms doubling
 * to 250 ms). A request is dropped, before its first attempt or after a failure, once the connection
 * is no longer wanted (nobody waits and minSize is met) until someone asks again. One asked for by
 * waiting borrowers is held back while the queue drains faster than a connect takes (GrowthPacer).
 * The backoff cap bounds how long the pool takes to notice a database that is back (on average half
 * of it), at four attempts a second against one that is down.
 */
final class ConnectionOpener {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionOpener.class);
    static final long FIRST_BACKOFF_MS = 25;
    static final long MAX_BACKOFF_MS = 250;

    private final Pool pool;
    private final ConnectionFactory factory;
    private final ThreadPoolExecutor executor;
    /** Connections open or being opened: the one count that keeps the pool within maxSize. */
    private final AtomicInteger slots = new AtomicInteger();
    private volatile SQLException lastError;
    private int consecutiveFailures;
    /** When a connection last joined the pool while borrowers waited (opener thread only). */
    private long lastAddedForWaitersNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

    ConnectionOpener(Pool pool, ConnectionFactory factory) {
        this.pool = pool;
        this.factory = factory;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                Pool.threads(pool.name() + "-opener"));
    }

    /** Asks for one more connection unless open plus opening already reach maxSize; true if asked. */
    boolean request() {
        while (true) {
            int s = slots.get();
            if (pool.closing() || s >= pool.maxSize()) {
                return false;
            }
            if (slots.compareAndSet(s, s + 1)) {
                break;
            }
        }
        try {
            executor.execute(this::openOne);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            slots.decrementAndGet();
            return false;
        }
    }

    /** Asks until open plus opening reaches the target (capped at maxSize). */
    void fillTo(int target) {
        while (slots.get() < target && request()) {
            // one request per missing connection
        }
    }

    /** A connection was closed: its slot is free. */
    void released() {
        slots.decrementAndGet();
    }

    private void openOne() {
        long backoff = FIRST_BACKOFF_MS;
        boolean opened = false;
        try {
            if (!stillWantedAfterDrain()) {
                return;
            }
            while (pool.wantsConnections()) { // the borrowers it was for may have been served meanwhile
                long start = System.nanoTime();
                try {
                    PoolEntry e = factory.open(pool.epoch());
                    succeeded(start);
                    opened = true;
                    boolean forWaiters = pool.bag().hasWaiters();
                    pool.added(e, ConnectionFactory.elapsed(start));
                    if (forWaiters) {
                        lastAddedForWaitersNanos = System.nanoTime();
                    }
                    return;
                } catch (SQLException | RuntimeException e) {
                    if (pool.closing()) {
                        return; // close() interrupted the connect: not a failure of the database
                    }
                    SQLException error = e instanceof SQLException ? (SQLException) e
                            : new SQLException("opening a connection failed: " + e, "08001", e);
                    failed(error);
                }
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        } finally {
            if (!opened) {
                slots.decrementAndGet();
            }
        }
    }

    /**
     * Still wanted, after watching the queue while it drains faster than a connect would take. Only a
     * request that follows a connection just added for waiters is watched (GrowthPacer): the first one
     * of a burst, and those for minSize, are opened at once.
     */
    private boolean stillWantedAfterDrain() {
        if (!pool.wantsConnections()) {
            return false;
        }
        long connect = pool.meanConnectNanos();
        boolean justAdded = System.nanoTime() - lastAddedForWaitersNanos < connect;
        if (!justAdded || pool.total() < pool.minSize()) {
            return true;
        }
        GrowthPacer pacer = new GrowthPacer(pool.bag().waiting(), System.nanoTime(), connect);
        do {
            LockSupport.parkNanos(this, pacer.stepNanos());
            if (!pool.wantsConnections()) {
                return false; // everyone was served (or the pool is closing)
            }
        } while (pacer.keepWatching(pool.bag().waiting(), System.nanoTime()));
        return true;
    }

    private synchronized void succeeded(long start) {
        if (consecutiveFailures > 0) {
            LOG.info("{} - connected again after {} failed attempts", pool.name(), consecutiveFailures);
        }
        consecutiveFailures = 0;
        lastError = null;
    }

    private void failed(SQLException error) {
        int failures;
        synchronized (this) {
            failures = ++consecutiveFailures;
            lastError = error;
        }
        pool.connectFailed(error, failures);
        String what = ConnectErrors.describe(error, pool.config().jdbcUrl(), pool.config().username());
        if (failures == 1) {
            LOG.warn("{} - opening a connection failed: {}; retrying in the background", pool.name(), what);
        } else {
            LOG.debug("{} - opening a connection failed again ({} in a row): {}", pool.name(), failures, what);
        }
    }

    /** The last connect error, unless a connect succeeded since; else null. */
    SQLException currentError() {
        return lastError;
    }

    /** Connections being opened now (approximate while one is joining the pool). */
    int pending() {
        return Math.max(0, slots.get() - pool.total());
    }

    /** Stops opening; waits (briefly) for a connect in progress, so nothing opens after the pool closed. */
    void shutdown() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("{} - a connect in progress did not stop within 5 s of close", pool.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutdownNow: the loop sees the pool closing
        }
    }
}
