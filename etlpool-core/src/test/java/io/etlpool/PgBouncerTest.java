package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Through a real PgBouncer in transaction pooling mode: 8 pool connections share 2 server connections,
 * so PgJDBC's named server-side statements meet on one server connection and fail, unless
 * {@code pgbouncer(true)} is set. Skipped, saying so, where pgbouncer is not installed.
 */
@PostgresTest
class PgBouncerTest {

    private static final int THREADS = 8;
    private static final int BORROWS = 2_400;

    /** SQLState -> count of the failed borrows. */
    private static Map<String, Integer> borrow(EtlPool pool) throws Exception {
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        AtomicInteger left = new AtomicInteger(BORROWS);
        LongAdder ok = new LongAdder();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(executor.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        try (Connection c = pool.getConnection();
                             PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
                            ps.setInt(1, 41);
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                assertThat(rs.getInt(1)).isEqualTo(42);
                            }
                            ok.increment();
                        } catch (SQLException e) {
                            errors.merge(String.valueOf(e.getSQLState()), 1, Integer::sum);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(5, TimeUnit.MINUTES);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(ok.sum() + errors.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(BORROWS);
        return errors;
    }

    private static EtlPoolBuilder through(PgBouncerProcess bouncer, TestDatabase db) {
        return EtlPool.builder().jdbcUrl(bouncer.jdbcUrl(db)).username(db.user()).password(db.password())
                .minSize(THREADS).maxSize(THREADS).connectionTimeout(Duration.ofSeconds(30)).registerMBean(false);
    }

    @Test
    void withPgbouncerTrue2400BorrowsHaveNoError(TestDatabase db) throws Exception {
        try (PgBouncerProcess bouncer = PgBouncerProcess.start(db, 2);
             EtlPool pool = through(bouncer, db).pgbouncer(true).build()) {
            assertThat(borrow(pool)).isEmpty();
        }
    }

    @Test
    void withoutItNamedStatementsCollide42P05(TestDatabase db) throws Exception {
        try (PgBouncerProcess bouncer = PgBouncerProcess.start(db, 2);
             EtlPool pool = through(bouncer, db).resetOnReturn(ResetMode.NONE).build()) {
            Map<String, Integer> errors = borrow(pool);
            System.out.println("without pgbouncer(true): failed borrows of " + BORROWS + " by SQLState: " + errors);
            assertThat(errors).as("errors by SQLState").containsKey("42P05");
        }
    }

    /** Through a PgBouncer that does not track prepared statements (before 1.21, or max_prepared_statements = 0). */
    @Test
    void preparedStatementsModeIsRefusedWhenPgBouncerDoesNotTrackThem(TestDatabase db) throws Exception {
        try (PgBouncerProcess bouncer = PgBouncerProcess.start(db, 2, 0)) {
            assertThatThrownBy(() -> through(bouncer, db).pgbouncer(PgBouncer.PREPARED_STATEMENTS).build().close())
                    .isInstanceOf(PoolInitializationException.class)
                    .hasMessageContaining("does not track prepared statements")
                    .hasMessageContaining("max_prepared_statements")
                    .hasMessageContaining("S_");
        }
    }

    /**
     * PgBouncer 1.21+ with max_prepared_statements: PgJDBC keeps its named statements and 2,400 borrows
     * on 2 server connections have no error. Skipped, saying so, where the installed PgBouncer is older.
     */
    @Test
    void preparedStatementsModeWorksWhenPgBouncerTracksThem(TestDatabase db) throws Exception {
        assumeTrue(PgBouncerProcess.tracksPreparedStatements(), () -> "SKIPPED: the installed PgBouncer "
                + versionText() + " is older than 1.21 and cannot track prepared statements");
        try (PgBouncerProcess bouncer = PgBouncerProcess.start(db, 2, 200);
             EtlPool pool = through(bouncer, db).pgbouncer(PgBouncer.PREPARED_STATEMENTS).build()) {
            assertThat(pool.config().driverProperties().getProperty("prepareThreshold")).isNull();
            assertThat(borrow(pool)).isEmpty();
        }
    }

    /** Without a PgBouncer the driver's own names reach the server: the check refuses, wherever it runs. */
    @Test
    void preparedStatementsModeStraightToPostgresIsRefused(TestDatabase db) {
        assertThatThrownBy(() -> EtlPool.builder().jdbcUrl(db.jdbcUrl()).username(db.user()).password(db.password())
                .registerMBean(false).pgbouncer(PgBouncer.PREPARED_STATEMENTS).build().close())
                .isInstanceOf(PoolInitializationException.class)
                .hasMessageContaining("could not start: pgbouncer(PgBouncer.PREPARED_STATEMENTS) is set")
                .hasMessageContaining("statement names [S_");
    }

    @Test
    void preparedStatementsModeKeepsTheDriversThresholdAndRefusesAReset() throws Exception {
        PoolConfig c = EtlPool.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/x?prepareThreshold=3")
                .pgbouncer(PgBouncer.PREPARED_STATEMENTS).validate();
        assertThat(c.resetOnReturn()).isEqualTo(ResetMode.NONE);
        assertThat(c.pgbouncer()).isTrue();
        assertThat(c.driverProperties().getProperty("prepareThreshold")).isNull();
        assertThatThrownBy(() -> EtlPool.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/x")
                .pgbouncer(PgBouncer.PREPARED_STATEMENTS).resetOnReturn(ResetMode.DISCARD_ALL).validate())
                .hasMessageContaining("does not work with pgbouncer(PgBouncer.PREPARED_STATEMENTS)");
        java.util.Properties p = new java.util.Properties();
        p.setProperty("jdbcUrl", "jdbc:postgresql://127.0.0.1:1/x");
        p.setProperty("pgbouncer", "prepared-statements");
        assertThat(EtlPool.builder().properties(p).validate().pgbouncerMode()).isEqualTo(PgBouncer.PREPARED_STATEMENTS);
        p.setProperty("pgbouncer", "true");
        assertThat(EtlPool.builder().properties(p).validate().pgbouncerMode()).isEqualTo(PgBouncer.TRANSACTION_POOLING);
    }

    private static String versionText() {
        try {
            int[] v = PgBouncerProcess.version();
            return v[0] + "." + v[1];
        } catch (Exception e) {
            return "(version unknown: " + e + ")";
        }
    }
}
