package io.etlpool.internal;

import io.etlpool.CloseReason;
import io.etlpool.PoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The pool's background upkeep, on one thread: retire idle connections past maxLifetime, close those
 * idle past idleTimeout above minSize (or above a lowered maxSize), validate long-idle ones
 * (keepalive), report leaks, and refill to minSize.
 */
final class HouseKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(HouseKeeper.class);

    private final Pool pool;
    private final ScheduledExecutorService executor;
    private final long periodNanos;
    private final long idleTimeoutNanos;
    private final long keepaliveNanos;
    private final LeakDetector leaks;

    HouseKeeper(Pool pool) {
        this.pool = pool;
        PoolConfig c = pool.config();
        this.idleTimeoutNanos = c.idleTimeout().toNanos();
        this.keepaliveNanos = c.keepaliveInterval().toNanos();
        this.leaks = new LeakDetector(pool, c.leakDetectionThreshold().toNanos());
        this.periodNanos = period(c);
        this.executor = Executors.newSingleThreadScheduledExecutor(Pool.threads(pool.name() + "-housekeeper"));
    }

    /** A quarter of the shortest time limit in force, between 50 ms and 30 s. */
    private static long period(PoolConfig c) {
        long shortest = Duration.ofSeconds(120).toNanos();
        for (Duration d : new Duration[]{c.idleTimeout(), c.maxLifetime(), c.keepaliveInterval(),
                c.leakDetectionThreshold()}) {
            if (!d.isZero()) {
                shortest = Math.min(shortest, d.toNanos());
            }
        }
        return Math.max(TimeUnit.MILLISECONDS.toNanos(50), Math.min(TimeUnit.SECONDS.toNanos(30), shortest / 4));
    }

    void start() {
        executor.scheduleWithFixedDelay(this::run, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    void runSoon() {
        try {
            executor.execute(this::run);
        } catch (RejectedExecutionException stopped) {
            // the pool is closing
        }
    }

    /** Stops it (interrupting a wait); the caller waits for the thread (PoolShutdown). */
    void stop() {
        executor.shutdownNow();
    }

    ScheduledExecutorService executor() {
        return executor;
    }

    private void run() {
        try {
            tendIdle();
            leaks.scan();
            pool.opener().reconcile(); // refill to minSize, and any demand of waiting borrowers
        } catch (Throwable e) { // not just RuntimeException: a task that throws is never scheduled again
            LOG.warn("{} - housekeeping failed; it runs again shortly", pool.name(), e);
        }
    }

    private void tendIdle() {
        ConnectionBag bag = pool.bag();
        long now = System.nanoTime();
        int total = pool.total();
        for (PoolEntry e : bag.snapshot()) {
            if (pool.closing()) {
                return;
            }
            if (e.state() != PoolEntry.IDLE) {
                continue;
            }
            CloseReason close = null;
            if (now - e.retireAtNanos >= 0) {
                close = CloseReason.MAX_LIFETIME;
            } else if (total > pool.maxSize()) {
                close = CloseReason.SHRINK;
            } else if (idleTimeoutNanos > 0 && total > pool.minSize() && now - e.lastReturnedNanos > idleTimeoutNanos) {
                close = CloseReason.IDLE_TIMEOUT;
            }
            boolean keepalive = close == null && keepaliveNanos > 0 && now - e.lastCheckedNanos > keepaliveNanos;
            if (close == null && !keepalive) {
                continue;
            }
            if (!e.cas(PoolEntry.IDLE, PoolEntry.RESERVED)) {
                continue; // a borrower took it meanwhile
            }
            try {
                if (close != null) {
                    pool.discard(e, close);
                    total--;
                } else if (pool.validate(e, System.nanoTime() + pool.config().validationTimeout().toNanos())) {
                    if (e.cas(PoolEntry.RESERVED, PoolEntry.IN_USE)) { // not if close() took it meanwhile
                        bag.requite(e);
                    }
                } else {
                    pool.discard(e, CloseReason.VALIDATION_FAILED);
                    total--;
                }
            } catch (Throwable t) { // never leave it RESERVED: nobody else would ever release it
                if (e.state() == PoolEntry.RESERVED) {
                    pool.discard(e, CloseReason.VALIDATION_FAILED);
                }
                throw t;
            }
        }
    }
}
