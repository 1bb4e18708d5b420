package io.etlpool.etl.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The number of partitions that stream at once, changeable while they run: a partition enters before it
 * starts and leaves when it ends; between chunks ({@link #between(Stop)}) a stream over the current limit
 * pauses until the limit has room again. A paused stream goes on before a new partition starts, so
 * started work finishes first. Waits are interruptible and bounded by the run's stop check.
 */
final class StreamGate {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private int limit;
    private int active;
    private int paused;

    StreamGate(int limit) {
        this.limit = Math.max(1, limit);
    }

    /** Sets how many may stream; a higher limit wakes waiting streams. */
    void limit(int limit) {
        lock.lock();
        try {
            this.limit = Math.max(1, limit);
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int limit() {
        lock.lock();
        try {
            return limit;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a new partition may start. */
    void enter(Stop stop) throws java.sql.SQLException {
        await(stop, false);
    }

    /** Between two chunks: pauses while more streams run than the limit allows. */
    void between(Stop stop) throws java.sql.SQLException {
        lock.lock();
        try {
            if (active <= limit) {
                return;
            }
            active--;
            paused++;
        } finally {
            lock.unlock();
        }
        await(stop, true);
    }

    /** A partition ended (or gave up its place). */
    void leave() {
        lock.lock();
        try {
            active--;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void await(Stop stop, boolean resuming) throws java.sql.SQLException {
        lock.lock();
        try {
            while (active >= limit || (!resuming && paused > 0)) {
                try {
                    stop.check();
                    room.await(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    undo(resuming);
                    throw new java.sql.SQLException("interrupted while waiting for a stream's turn", "57014", e);
                } catch (java.sql.SQLException | RuntimeException e) {
                    undo(resuming);
                    throw e;
                }
            }
            if (resuming) {
                paused--;
            }
            active++;
        } finally {
            lock.unlock();
        }
    }

    /** A wait given up: a paused stream counts as active again, so that its caller's {@link #leave()} balances. */
    private void undo(boolean resuming) {
        if (resuming) {
            paused--;
            active++;
        }
        room.signalAll();
    }

    /** The run's stop check, called while waiting. */
    interface Stop {
        void check() throws java.sql.SQLException;
    }
}
