package io.etlpool.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A connection's session settings, restored on return when a borrower changed them.
 *
 * <p>Isolation, catalog and schema cost PgJDBC a round trip each to read (0.2-0.3 ms on loopback, more
 * under load), so they are read only when a borrower is about to change one: the connection is still
 * at its default then, because every return restores what the previous borrower changed. A new
 * connection that nobody reconfigures joins the pool without those three queries, which matters when a
 * burst of borrowers waits for it. Only the thread holding the connection touches these fields; the
 * bag's hand-off publishes them to the next holder.
 */
final class ConnectionDefaults {

    final boolean autoCommit;
    final boolean readOnly;
    final int networkTimeoutMs;

    private boolean isolationKnown;
    private int isolation;
    private boolean catalogKnown;
    private String catalog;
    private boolean schemaKnown;
    private String schema;

    private ConnectionDefaults(boolean autoCommit, boolean readOnly, int networkTimeoutMs) {
        this.autoCommit = autoCommit;
        this.readOnly = readOnly;
        this.networkTimeoutMs = networkTimeoutMs;
    }

    /** The settings a driver answers without a round trip. */
    static ConnectionDefaults read(Connection c) throws SQLException {
        int networkTimeout;
        try {
            networkTimeout = c.getNetworkTimeout();
        } catch (SQLException | UnsupportedOperationException notSupported) {
            networkTimeout = -1;
        }
        return new ConnectionDefaults(c.getAutoCommit(), c.isReadOnly(), networkTimeout);
    }

    void captureIsolation(Connection raw) throws SQLException {
        if (!isolationKnown) {
            isolation = raw.getTransactionIsolation();
            isolationKnown = true;
        }
    }

    void captureCatalog(Connection raw) throws SQLException {
        if (!catalogKnown) {
            catalog = raw.getCatalog();
            catalogKnown = true;
        }
    }

    void captureSchema(Connection raw) throws SQLException {
        if (!schemaKnown) {
            try {
                schema = raw.getSchema();
            } catch (AbstractMethodError notSupported) {
                schema = null; // a pre-JDBC 4.1 driver: nothing to restore
            }
            schemaKnown = true;
        }
    }

    /** Puts back what was captured (a capture precedes every change the proxy lets through). */
    void restoreIsolation(Connection raw) throws SQLException {
        if (isolationKnown) {
            raw.setTransactionIsolation(isolation);
        }
    }

    void restoreCatalog(Connection raw) throws SQLException {
        if (catalogKnown && catalog != null) {
            raw.setCatalog(catalog);
        }
    }

    void restoreSchema(Connection raw) throws SQLException {
        if (schemaKnown && schema != null) {
            raw.setSchema(schema);
        }
    }
}
