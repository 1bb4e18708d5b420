package io.etlpool.etl.internal;

import io.etlpool.EtlPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One snapshot of a PostgreSQL source for a whole run, as {@code pg_dump -j} does it: a connection of
 * its own opens a REPEATABLE READ transaction, exports its snapshot ({@code pg_export_snapshot()}) and
 * stays open for the run; every partition's source transaction (and every retry's) imports it with
 * {@code SET TRANSACTION SNAPSHOT}, so all of them read the source as of the same moment.
 *
 * <p>Falls back, never silently: when the source is not PostgreSQL there is no snapshot to share; when the
 * exporting transaction has ended (its session was killed), a retry reads a snapshot of its own and
 * {@link #description()} says so for the job's result.
 */
final class SourceSnapshot implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceSnapshot.class);

    private final EtlPool pool;
    private final Connection holder;
    private final String id;
    private volatile String lost;

    private SourceSnapshot(EtlPool pool, Connection holder, String id, String lost) {
        this.pool = pool;
        this.holder = holder;
        this.id = id;
        this.lost = lost;
    }

    /** No shared snapshot: each partition reads its own, for the reason given. */
    static SourceSnapshot none(String why) {
        return new SourceSnapshot(null, null, null, why);
    }

    /** Exports a snapshot on a connection of its own, held until {@link #close()}. */
    static SourceSnapshot export(EtlPool pool) throws SQLException {
        Connection c = pool.getConnection();
        try {
            if (!PartitionTask.Sessions.isPostgres(c)) {
                c.close();
                return none("the source is not PostgreSQL: each partition reads the source as of its own start");
            }
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL idle_in_transaction_session_timeout = 0");
                try (ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
                    rs.next();
                    return new SourceSnapshot(pool, c, rs.getString(1), null);
                }
            }
        } catch (SQLException | RuntimeException e) {
            PartitionTask.Sessions.discard(pool, c);
            throw e;
        }
    }

    /**
     * Starts a source transaction on the run's snapshot; must come before the transaction's first query.
     * When the snapshot can no longer be imported, the transaction is started again on a snapshot of its
     * own (and the run's result says the run did not read one snapshot).
     */
    void begin(Connection source) throws SQLException {
        source.setAutoCommit(false);
        if (id == null || lost != null) {
            return;
        }
        source.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = source.createStatement()) {
            s.execute("SET TRANSACTION SNAPSHOT '" + id.replace("'", "''") + "'");
        } catch (SQLException e) {
            if (!"22023".equals(e.getSQLState()) && !"25P02".equals(e.getSQLState())) {
                throw e; // not "invalid snapshot identifier": a real failure, the task's retry handles it
            }
            source.rollback();
            lost = "the transaction exporting the run's snapshot ended (" + e.getSQLState() + "); partitions that "
                    + "started after that read the source as of their own start";
            LOG.warn("{}", lost);
        }
    }

    /** Which snapshot the run read: "one snapshot" or why not. */
    String description() {
        return lost == null ? "one snapshot for all partitions" : lost;
    }

    /** Whether a transaction begun now reads the run's one snapshot (shared and not lost). */
    boolean intact() {
        return id != null && lost == null;
    }

    boolean shared() {
        return id != null;
    }

    @Override
    public void close() {
        if (holder != null) {
            try {
                holder.rollback();
                holder.close();
            } catch (SQLException e) {
                PartitionTask.Sessions.discard(pool, holder);
            }
        }
    }

}
