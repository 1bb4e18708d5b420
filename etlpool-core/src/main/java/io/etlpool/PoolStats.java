package io.etlpool;

import java.time.Duration;

/**
 * A snapshot of the pool: sizes now, and totals since it started. The names follow psycopg_pool's
 * {@code get_stats()} where there is one (noted per method).
 */
public final class PoolStats {

    private final String poolName;
    private final int total;
    private final int active;
    private final int idle;
    private final int waiting;
    private final int pending;
    private final int minSize;
    private final int maxSize;
    private final long borrows;
    private final long waitedBorrows;
    private final long timeouts;
    private final long connectionsCreated;
    private final long connectionsClosed;
    private final long connectFailures;
    private final long brokenDiscarded;
    private final long validationFailures;
    private final long leaksSuspected;
    private final long totalWaitNanos;
    private final long maxWaitNanos;
    private final long totalUsageNanos;
    private final long totalConnectNanos;
    private final long commitsFoundCommitted;
    private final long commitsFoundRolledBack;
    private final long commitsUnresolved;

    /** For the pool's internals; users get instances from {@link EtlPool#stats()}. */
    public PoolStats(String poolName, int total, int active, int idle, int waiting, int pending, int minSize,
                     int maxSize, long borrows, long waitedBorrows, long timeouts, long connectionsCreated,
                     long connectionsClosed, long connectFailures, long brokenDiscarded, long validationFailures,
                     long leaksSuspected, long totalWaitNanos, long maxWaitNanos, long totalUsageNanos,
                     long totalConnectNanos, long commitsFoundCommitted, long commitsFoundRolledBack,
                     long commitsUnresolved) {
        this.poolName = poolName;
        this.total = total;
        this.active = active;
        this.idle = idle;
        this.waiting = waiting;
        this.pending = pending;
        this.minSize = minSize;
        this.maxSize = maxSize;
        this.borrows = borrows;
        this.waitedBorrows = waitedBorrows;
        this.timeouts = timeouts;
        this.connectionsCreated = connectionsCreated;
        this.connectionsClosed = connectionsClosed;
        this.connectFailures = connectFailures;
        this.brokenDiscarded = brokenDiscarded;
        this.validationFailures = validationFailures;
        this.leaksSuspected = leaksSuspected;
        this.totalWaitNanos = totalWaitNanos;
        this.maxWaitNanos = maxWaitNanos;
        this.totalUsageNanos = totalUsageNanos;
        this.totalConnectNanos = totalConnectNanos;
        this.commitsFoundCommitted = commitsFoundCommitted;
        this.commitsFoundRolledBack = commitsFoundRolledBack;
        this.commitsUnresolved = commitsUnresolved;
    }

    /** The name of the pool these figures are of. */
    public String poolName() {
        return poolName;
    }

    /** Open connections, lent or not ({@code pool_size}). */
    public int total() {
        return total;
    }

    /** Connections lent out now. */
    public int active() {
        return active;
    }

    /** Connections ready to lend ({@code pool_available}). */
    public int idle() {
        return idle;
    }

    /** Borrowers waiting now ({@code requests_waiting}). */
    public int waiting() {
        return waiting;
    }

    /** Connections being opened now. */
    public int pending() {
        return pending;
    }

    /** {@code pool_min}. */
    public int minSize() {
        return minSize;
    }

    /** {@code pool_max}. */
    public int maxSize() {
        return maxSize;
    }

    /** Connections lent since start ({@code requests_num}). */
    public long borrows() {
        return borrows;
    }

    /** Borrows that had to wait ({@code requests_queued}). */
    public long waitedBorrows() {
        return waitedBorrows;
    }

    /** Borrowers that got no connection in time ({@code requests_errors}). */
    public long timeouts() {
        return timeouts;
    }

    /** Connections opened ({@code connections_num}). */
    public long connectionsCreated() {
        return connectionsCreated;
    }

    /** Connections the pool closed, for any reason ({@link CloseReason}). */
    public long connectionsClosed() {
        return connectionsClosed;
    }

    /** Failed connection attempts ({@code connections_errors}). */
    public long connectFailures() {
        return connectFailures;
    }

    /** Connections found broken in use and discarded ({@code returns_bad}, {@code connections_lost}). */
    public long brokenDiscarded() {
        return brokenDiscarded;
    }

    /** Connections that failed validation and were replaced. */
    public long validationFailures() {
        return validationFailures;
    }

    /** Connections reported as possible leaks. */
    public long leaksSuspected() {
        return leaksSuspected;
    }

    /** Time borrowers spent waiting, in all ({@code requests_wait_ms}). */
    public Duration totalWait() {
        return Duration.ofNanos(totalWaitNanos);
    }

    /** The longest wait of one borrower. */
    public Duration maxWait() {
        return Duration.ofNanos(maxWaitNanos);
    }

    /** Time connections spent lent out, in all ({@code usage_ms}). */
    public Duration totalUsage() {
        return Duration.ofNanos(totalUsageNanos);
    }

    /** Time spent opening connections, in all ({@code connections_ms}). */
    public Duration totalConnectTime() {
        return Duration.ofNanos(totalConnectNanos);
    }

    /**
     * Transactions whose connection was lost during COMMIT and that the server reported committed: the
     * transaction methods returned normally and did not run the work again.
     */
    public long commitsFoundCommitted() {
        return commitsFoundCommitted;
    }

    /**
     * Transactions whose connection was lost during COMMIT and that the server reported rolled back (or
     * that wrote nothing): their work was run again, within transactionAttempts.
     */
    public long commitsFoundRolledBack() {
        return commitsFoundRolledBack;
    }

    /**
     * Transactions whose connection was lost during COMMIT with an outcome that could not be found out:
     * each threw a {@link CommitOutcomeUnknownException}.
     */
    public long commitsUnresolved() {
        return commitsUnresolved;
    }

    @Override
    public String toString() {
        return poolName + " (total=" + total + ", active=" + active + ", idle=" + idle + ", waiting=" + waiting
                + ", pending=" + pending + ", min=" + minSize + ", max=" + maxSize + ", borrows=" + borrows
                + ", timeouts=" + timeouts + ", created=" + connectionsCreated + ", closed=" + connectionsClosed
                + ", connectFailures=" + connectFailures + ", broken=" + brokenDiscarded
                + ", maxWait=" + maxWait().toMillis() + "ms)";
    }
}
