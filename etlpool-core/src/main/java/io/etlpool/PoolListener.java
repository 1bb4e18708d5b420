package io.etlpool;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Receives the pool's events; every method does nothing by default, so implement only what you need.
 * Methods run on the thread that caused the event (a borrower, or one of the pool's background
 * threads): keep them short and never block in them.
 *
 * <p>A pool may have several listeners ({@link EtlPoolBuilder#listener} more than once, or
 * {@link EtlPool#addListener} and {@link EtlPool#removeListener} at any time). Each event is reported
 * after the change it describes is complete. What a listener throws is caught: it never reaches the
 * pool or the borrower, and never changes what the pool does. The first failure of each listener is
 * logged as a warning with the listener's class and the exception, later ones at debug level.
 */
public interface PoolListener {

    /** The listener that does nothing (the default). */
    PoolListener NONE = new PoolListener() {
    };

    /** A new connection was opened (took: connect plus initSql). */
    default void connectionOpened(Duration took) {
    }

    /** Opening a connection failed; the pool retries with backoff. */
    default void connectFailed(SQLException error, int consecutiveFailures) {
    }

    /** A connection was lent after waiting this long. */
    default void connectionBorrowed(Duration waited) {
    }

    /** A connection came back after being used this long. */
    default void connectionReturned(Duration used) {
    }

    /** The pool closed one of its connections. */
    default void connectionClosed(CloseReason reason) {
    }

    /** A borrower waited connectionTimeout and got this error. */
    default void borrowTimedOut(PoolTimeoutException error) {
    }

    /** A connection was held past leakDetectionThreshold with no database activity. */
    default void leakSuspected(Duration held, Throwable borrowedAt) {
    }
}
