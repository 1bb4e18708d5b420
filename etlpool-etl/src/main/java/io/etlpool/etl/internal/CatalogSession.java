package io.etlpool.etl.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;

/**
 * Catalog reads with an empty search_path, so that {@code format_type}, {@code pg_get_expr},
 * {@code pg_get_constraintdef}, {@code pg_get_indexdef} and {@code regclass} print every name outside
 * {@code pg_catalog} schema-qualified (as pg_dump reads them): the text then means the same in any
 * database and search_path. The setting is local to a transaction (or a savepoint inside the caller's),
 * which is rolled back after the read, so the connection comes back as it was.
 */
final class CatalogSession {

    /** A read that may throw SQLException. */
    interface Read<T> {
        T run() throws SQLException;
    }

    private CatalogSession() {
    }

    static <T> T qualified(Connection c, Read<T> read) throws SQLException {
        boolean auto = c.getAutoCommit();
        Savepoint sp = null;
        if (auto) {
            c.setAutoCommit(false);
        } else {
            sp = c.setSavepoint();
        }
        Throwable failure = null;
        try {
            try (Statement s = c.createStatement()) {
                // set_config(..., true) rather than SET LOCAL: the pool's session reset need not look at it
                s.execute("SELECT pg_catalog.set_config('search_path', '', true)");
            }
            return read.run();
        } catch (SQLException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                if (auto) {
                    c.rollback();
                    c.setAutoCommit(true);
                } else {
                    c.rollback(sp);
                    c.releaseSavepoint(sp);
                }
            } catch (SQLException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
        }
    }
}
