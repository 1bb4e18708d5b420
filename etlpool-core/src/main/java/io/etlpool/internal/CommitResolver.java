package io.etlpool.internal;

import io.etlpool.CommitOutcomeUnknownException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Finds out whether a transaction whose COMMIT got no answer committed, by asking the server on a fresh
 * connection ({@code pg_xact_status}); counts each outcome in the pool's totals.
 */
final class CommitResolver {

    /** What a lost COMMIT turned out to be. */
    enum Outcome {
        /** The server committed: the work took effect and must not run again. */
        COMMITTED,
        /** The server rolled back, or the transaction wrote nothing: running the work again is safe. */
        ROLLED_BACK
    }

    private static final long FIRST_PAUSE_MS = 10;
    private static final long LONGEST_PAUSE_MS = 1_000;

    private final Pool pool;
    private final LongAdder committed;
    private final LongAdder rolledBack;
    private final LongAdder unknown;

    CommitResolver(Pool pool) {
        this.pool = pool;
        this.committed = pool.counters().commitsCommitted;
        this.rolledBack = pool.counters().commitsRolledBack;
        this.unknown = pool.counters().commitsUnresolved;
    }

    /**
     * The outcome of the transaction whose COMMIT failed with {@code failure}. A transaction still in
     * progress (its server is finishing the COMMIT) is asked about again with a growing pause, and so is
     * a status check that lost its own connection, up to connectionTimeout (at least a second).
     *
     * @throws CommitOutcomeUnknownException when the outcome cannot be found out
     */
    Outcome resolve(PendingCommit pending, SQLException failure) throws CommitOutcomeUnknownException {
        if (!pending.resolvable) {
            throw unknown(null, "the pool cannot ask this database (resolveCommitOutcome is off, or the database"
                    + " is not PostgreSQL)", failure, null);
        }
        if (pending.xid == null) {
            rolledBack.increment(); // nothing was written: losing the COMMIT lost nothing
            return Outcome.ROLLED_BACK;
        }
        long timeoutNanos = Math.max(pool.config().connectionTimeout().toNanos(), TimeUnit.SECONDS.toNanos(1));
        long deadline = System.nanoTime() + timeoutNanos;
        long pauseMs = FIRST_PAUSE_MS;
        SQLException lastCheckFailure = null;
        while (true) {
            String status = null;
            boolean asked = false;
            try {
                status = status(pending, Math.max(1, deadline - System.nanoTime()));
                asked = true;
            } catch (SQLException e) {
                if (!SqlStates.isConnectionLoss(e)) {
                    throw unknown(pending.xid, "the status check failed: " + e.getMessage(), failure, e);
                }
                lastCheckFailure = e;
            }
            if (asked) {
                if ("committed".equals(status)) {
                    committed.increment();
                    return Outcome.COMMITTED;
                }
                if ("aborted".equals(status)) {
                    rolledBack.increment();
                    return Outcome.ROLLED_BACK;
                }
                if (!"in progress".equals(status)) {
                    throw unknown(pending.xid, "the server keeps no status for it any more (too old)", failure, null);
                }
                lastCheckFailure = null;
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMs) - deadline > 0) {
                throw unknown(pending.xid, lastCheckFailure != null
                        ? "no status check succeeded within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms: "
                        + lastCheckFailure.getMessage()
                        : "it was still in progress after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms",
                        failure, lastCheckFailure);
            }
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unknown(pending.xid, "interrupted while asking", failure, null);
            }
            pauseMs = Math.min(pauseMs * 2, LONGEST_PAUSE_MS);
        }
    }

    private String status(PendingCommit pending, long timeoutNanos) throws SQLException {
        try (Connection c = pool.borrow(timeoutNanos); PreparedStatement ps = c.prepareStatement(pending.statusQuery())) {
            ps.setString(1, pending.xid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private CommitOutcomeUnknownException unknown(String xid, String why, SQLException failure, SQLException check) {
        unknown.increment();
        String what = xid == null ? "the transaction" : "transaction " + xid;
        String howToCheck = xid == null ? "check the data before running the work again"
                : "check with SELECT pg_xact_status('" + xid + "'::xid8) (txid_status(" + xid
                + ") before PostgreSQL 13) before running the work again";
        CommitOutcomeUnknownException e = new CommitOutcomeUnknownException(pool.name()
                + " - the connection was lost during COMMIT (" + SqlStates.stateOf(failure) + ": "
                + failure.getMessage() + ") and whether " + what + " committed is unknown: " + why
                + "; it was not run again: " + howToCheck, xid, failure);
        if (check != null) {
            e.addSuppressed(check);
        }
        return e;
    }
}
