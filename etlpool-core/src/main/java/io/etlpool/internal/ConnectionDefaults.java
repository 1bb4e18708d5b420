package io.etlpool.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** A new connection's session settings, restored on return when a borrower changed them. */
final class ConnectionDefaults {

    final boolean autoCommit;
    final boolean readOnly;
    final int isolation;
    final String catalog;
    final String schema;
    final int networkTimeoutMs;

    private ConnectionDefaults(boolean autoCommit, boolean readOnly, int isolation, String catalog, String schema,
                               int networkTimeoutMs) {
        this.autoCommit = autoCommit;
        this.readOnly = readOnly;
        this.isolation = isolation;
        this.catalog = catalog;
        this.schema = schema;
        this.networkTimeoutMs = networkTimeoutMs;
    }

    static ConnectionDefaults read(Connection c) throws SQLException {
        int networkTimeout;
        try {
            networkTimeout = c.getNetworkTimeout();
        } catch (SQLException | UnsupportedOperationException notSupported) {
            networkTimeout = -1;
        }
        String schema;
        try {
            schema = c.getSchema();
        } catch (SQLException | AbstractMethodError notSupported) {
            schema = null;
        }
        return new ConnectionDefaults(c.getAutoCommit(), c.isReadOnly(), c.getTransactionIsolation(), c.getCatalog(),
                schema, networkTimeout);
    }
}
