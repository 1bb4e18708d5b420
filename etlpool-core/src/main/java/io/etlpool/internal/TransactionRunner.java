package io.etlpool.internal;

import io.etlpool.SqlFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a unit of work in one transaction, runs it again after a transient failure, and resolves a COMMIT
 * that got no answer instead of guessing (see docs/RELIABILITY.md, "Commit outcomes").
 */
public final class TransactionRunner {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionRunner.class);

    private final Pool pool;
    private final boolean resolveCommits;
    private final CommitResolver resolver;
    private volatile int serverKind = PendingCommit.UNKNOWN_SERVER;

    public TransactionRunner(Pool pool) {
        this.pool = pool;
        this.resolveCommits = pool.config().resolveCommitOutcome();
        this.resolver = new CommitResolver(pool);
    }

    public <T> T run(SqlFunction<T> work) throws SQLException {
        int attempts = pool.config().transactionAttempts();
        long backoffMs = pool.config().retryBackoff().toMillis();
        long timeoutNanos = pool.config().connectionTimeout().toNanos();
        for (int attempt = 1; ; attempt++) {
            Connection c = pool.borrow(timeoutNanos);
            PendingCommit pending = null;
            SQLException lostCommit = null;
            T result = null;
            try {
                if (c.getAutoCommit()) {
                    c.setAutoCommit(false);
                }
                result = work.apply(c);
                pending = beforeCommit(c);
                c.commit();
                return result;
            } catch (SQLException e) {
                rollbackQuietly(c, e);
                if (pending != null && PendingCommit.outcomeUnknown(e)) {
                    lostCommit = e; // resolved below, once this connection is back: the check needs one
                } else if (attempt >= attempts || !SqlStates.isRetryable(e)) {
                    throw e;
                }
            } catch (RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                c.close();
            }
            if (lostCommit != null) {
                if (resolver.resolve(pending, lostCommit) == CommitResolver.Outcome.COMMITTED) {
                    LOG.debug("{} - the connection was lost during COMMIT; transaction {} committed", pool.name(),
                            pending.xid);
                    return result;
                }
                if (attempt >= attempts) {
                    throw new SQLException(pool.name() + " - the connection was lost during COMMIT and the server"
                            + " rolled the transaction back; it ran " + attempts + " times (transactionAttempts)",
                            SqlStates.stateOf(lostCommit), lostCommit);
                }
            }
            LOG.debug("{} - transaction attempt {} of {} failed, running it again", pool.name(), attempt, attempts);
            sleepBackoff(backoffMs);
            backoffMs *= 2;
        }
    }

    /** Records the transaction's id before COMMIT: one round trip, on PostgreSQL with resolution on. */
    private PendingCommit beforeCommit(Connection c) throws SQLException {
        if (!resolveCommits) {
            return PendingCommit.UNRESOLVABLE;
        }
        int kind = serverKind;
        if (kind == PendingCommit.UNKNOWN_SERVER) {
            kind = PendingCommit.serverKind(c);
            serverKind = kind;
        }
        return PendingCommit.ask(c, kind);
    }

    private static void rollbackQuietly(Connection c, Throwable failure) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void sleepBackoff(long ms) throws SQLException {
        long jittered = ms + ThreadLocalRandom.current().nextLong(Math.max(1, ms / 2 + 1));
        try {
            Thread.sleep(jittered);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to run a transaction again", "08001", e);
        }
    }
}
