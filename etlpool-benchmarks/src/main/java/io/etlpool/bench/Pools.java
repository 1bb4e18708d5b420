package io.etlpool.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.etlpool.EtlPool;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The pools under test, configured for equal safety: a fixed size (minSize = maxSize), the same wait
 * timeout (8 s), auto-commit off with rollback of dirty transactions on return, read-committed
 * isolation, validation of connections idle longer than 500 ms before lending (both pools' default),
 * leak detection off.
 */
final class Pools {

    static final String URL = "jdbc:stub";
    static final long TIMEOUT_MS = 8_000;

    private Pools() {
    }

    static DataSource create(String pool, int size) throws SQLException {
        switch (pool) {
            case "etlpool":
                return EtlPool.builder().name("bench").jdbcUrl(URL).minSize(size).maxSize(size)
                        .connectionTimeout(Duration.ofMillis(TIMEOUT_MS)).autoCommit(false)
                        .transactionIsolation(Connection.TRANSACTION_READ_COMMITTED)
                        .validateAfterIdle(Duration.ofMillis(500)).build();
            case "hikari":
                HikariConfig c = new HikariConfig();
                c.setPoolName("bench");
                c.setJdbcUrl(URL);
                c.setMinimumIdle(size);
                c.setMaximumPoolSize(size);
                c.setConnectionTimeout(TIMEOUT_MS);
                c.setAutoCommit(false);
                c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
                return new HikariDataSource(c);
            default:
                throw new IllegalArgumentException("unknown pool '" + pool + "': use etlpool or hikari");
        }
    }

    static void close(DataSource ds) throws Exception {
        if (ds instanceof AutoCloseable) {
            ((AutoCloseable) ds).close();
        }
    }

    /** Waits until the pool has opened its fixed number of connections, so no run measures start-up. */
    static void warm(DataSource ds, int size) throws SQLException {
        Connection[] held = new Connection[size];
        for (int i = 0; i < size; i++) {
            held[i] = ds.getConnection();
        }
        for (Connection c : held) {
            c.close();
        }
    }
}
