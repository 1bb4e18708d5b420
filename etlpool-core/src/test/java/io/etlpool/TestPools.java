package io.etlpool;

import io.etlpool.testing.TestDatabase;
import io.etlpool.testing.stub.StubDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Helpers shared by the pool's tests. */
final class TestPools {

    private TestPools() {
    }

    /** A builder pointed at the test's database, with short timeouts that suit tests. */
    static EtlPoolBuilder builder(TestDatabase db) {
        return EtlPool.builder()
                .jdbcUrl(db.jdbcUrl())
                .username(db.user())
                .password(db.password())
                .connectionTimeout(Duration.ofSeconds(5))
                .closeGracePeriod(Duration.ofSeconds(2));
    }

    /** A builder on a stub database (no server): for races and driver failures, in milliseconds. */
    static EtlPoolBuilder stub(StubDatabase db) {
        return EtlPool.builder()
                .dataSource(db.dataSource())
                .connectionTimeout(Duration.ofSeconds(2))
                .closeGracePeriod(Duration.ofSeconds(1))
                .registerMBean(false);
    }

    static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Polls until the condition holds; fails with the message after the timeout. */
    static void eventually(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what);
            }
        }
    }
}
