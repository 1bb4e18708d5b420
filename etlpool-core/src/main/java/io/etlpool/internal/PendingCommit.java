package io.etlpool.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What is known about a transaction just before its COMMIT is sent: its PostgreSQL id if it wrote
 * anything, so that a COMMIT without an answer can be resolved by asking the server afterwards.
 */
final class PendingCommit {

    /** Resolution is off, or the database is not PostgreSQL: nothing can be asked afterwards. */
    static final PendingCommit UNRESOLVABLE = new PendingCommit(false, null, false);

    final boolean resolvable;
    /** The transaction id (an xid8 as text), or null when the transaction wrote nothing. */
    final String xid;
    /** PostgreSQL 13 or newer: pg_xact_status(xid8); before: txid_status(bigint). */
    final boolean modern;

    private PendingCommit(boolean resolvable, String xid, boolean modern) {
        this.resolvable = resolvable;
        this.xid = xid;
        this.modern = modern;
    }

    /** Server kinds, cached per pool: the metadata calls are cheap, but not free. */
    static final int UNKNOWN_SERVER = 0;
    static final int NOT_POSTGRES = 1;
    static final int POSTGRES_12 = 2;
    static final int POSTGRES_13 = 3;

    static int serverKind(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        if (!"PostgreSQL".equals(md.getDatabaseProductName())) {
            return NOT_POSTGRES;
        }
        return md.getDatabaseMajorVersion() >= 13 ? POSTGRES_13 : POSTGRES_12;
    }

    /** Asks the connection's server for the id of its open transaction (one round trip). */
    static PendingCommit ask(Connection c, int serverKind) throws SQLException {
        if (serverKind == NOT_POSTGRES) {
            return UNRESOLVABLE;
        }
        boolean modern = serverKind == POSTGRES_13;
        String sql = modern ? "SELECT pg_current_xact_id_if_assigned()::text" : "SELECT txid_current_if_assigned()::text";
        // prepared: PgJDBC keeps it prepared on the server after a few uses, sparing a parse and plan
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new PendingCommit(true, rs.getString(1), modern);
        }
    }

    /** The query that tells this transaction's status: committed, aborted, in progress, or NULL. */
    String statusQuery() {
        return modern ? "SELECT pg_xact_status(CAST(? AS text)::xid8)" : "SELECT txid_status(CAST(? AS text)::bigint)";
    }

    /**
     * A failed COMMIT whose outcome is unknown: the connection went away (whatever the server said
     * last: a FATAL in reply to COMMIT is no proof of rollback), or the driver gave no SQLState. An
     * error the server answered with (a deferred constraint, a serialization failure) means rolled back.
     */
    static boolean outcomeUnknown(SQLException e) {
        return SqlStates.isConnectionLoss(e) || SqlStates.stateOf(e) == null;
    }
}
