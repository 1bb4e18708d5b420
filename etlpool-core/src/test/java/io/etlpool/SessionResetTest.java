package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@PostgresTest
class SessionResetTest {

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * One connection, so the second borrower gets the first one's session. The connection opened at
     * start (before the server's version was known, so not reset but replaced: see
     * {@link #aResetNeverUndoesTheDriversOwnLoginSettings}) is replaced first.
     */
    private static EtlPool onePool(TestDatabase db, EtlPoolBuilder b) throws SQLException {
        EtlPool pool = b.minSize(1).maxSize(1).registerMBean(false).build();
        try (Connection first = pool.getConnection()) {
            pool.evict(first);
        }
        return pool;
    }

    @Test
    void byDefaultOneBorrowersSetIsNotSeenByTheNext(TestDatabase db) throws SQLException {
        try (EtlPool pool = onePool(db, TestPools.builder(db))) {
            assertThat(pool.config().resetOnReturn()).isEqualTo(ResetMode.AUTO);
            int pid;
            try (Connection c = pool.getConnection()) {
                pid = TestPools.backendPid(c);
                run(c, "SET statement_timeout = '1234ms'");
                assertThat(show(c, "statement_timeout")).isEqualTo("1234ms");
            }
            try (Connection c = pool.getConnection()) {
                assertThat(TestPools.backendPid(c)).isEqualTo(pid); // the same session, reset
                assertThat(show(c, "statement_timeout")).isEqualTo("0");
            }
        }
    }

    /**
     * The pool's first connection is opened before the server's version is known, so PgJDBC sets
     * application_name with a SET after the login, which a RESET ALL would undo; the next borrower must
     * still see the session's application name, whatever connection it gets.
     */
    @Test
    void aResetNeverUndoesTheDriversOwnLoginSettings(TestDatabase db) throws SQLException {
        for (ResetMode mode : new ResetMode[]{ResetMode.RESET_ALL, ResetMode.DISCARD_ALL, ResetMode.AUTO}) {
            try (EtlPool pool = TestPools.builder(db).resetOnReturn(mode).property("ApplicationName", "etl nightly")
                    .minSize(1).maxSize(1).registerMBean(false).build()) {
                try (Connection c = pool.getConnection()) {
                    assertThat(show(c, "application_name")).isEqualTo("etl nightly");
                    run(c, "SET application_name = 'changed by a borrower'");
                    run(c, "SET work_mem = '9MB'");
                }
                try (Connection c = pool.getConnection()) {
                    assertThat(show(c, "application_name")).as(mode.name()).isEqualTo("etl nightly");
                    assertThat(show(c, "work_mem")).as(mode.name()).isNotEqualTo("9MB");
                }
            }
        }
    }

    @Test
    void byDefaultASetConfigCallIsUndoneLikeASet(TestDatabase db) throws SQLException {
        try (EtlPool pool = onePool(db, TestPools.builder(db))) {
            try (Connection c = pool.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT set_config('statement_timeout', ?, false)")) {
                ps.setString(1, "4321ms");
                ps.executeQuery().close();
                assertThat(show(c, "statement_timeout")).isEqualTo("4321ms");
            }
            try (Connection c = pool.getConnection()) {
                assertThat(show(c, "statement_timeout")).isEqualTo("0");
            }
        }
    }

    @Test
    void withNoneTheSetStays(TestDatabase db) throws SQLException {
        try (EtlPool pool = onePool(db, TestPools.builder(db).resetOnReturn(ResetMode.NONE))) {
            try (Connection c = pool.getConnection()) {
                run(c, "SET statement_timeout = '1234ms'");
            }
            try (Connection c = pool.getConnection()) {
                assertThat(show(c, "statement_timeout")).isEqualTo("1234ms");
            }
        }
    }

    @Test
    void theResetKeepsThePoolsOwnSessionSettings(TestDatabase db) throws SQLException {
        try (Connection admin = db.connect()) {
            run(admin, "CREATE SCHEMA staging");
        }
        try (EtlPool pool = onePool(db, TestPools.builder(db).resetOnReturn(ResetMode.RESET_ALL).schema("staging")
                .initSql("SET work_mem = '7MB'").transactionIsolation(Connection.TRANSACTION_SERIALIZABLE))) {
            try (Connection c = pool.getConnection()) {
                run(c, "SET work_mem = '9MB'");
                run(c, "SET search_path = public");
            }
            try (Connection c = pool.getConnection()) {
                assertThat(show(c, "work_mem")).isEqualTo("7MB");
                assertThat(c.getSchema()).isEqualTo("staging");
                assertThat(show(c, "transaction_isolation")).isEqualTo("serializable");
            }
        }
    }

    @Test
    void autoDiscardsTemporaryTablesAndPgJdbcStillReusesItsStatements(TestDatabase db) throws SQLException {
        try (EtlPool pool = onePool(db, TestPools.builder(db).autoCommit(false))) {
            for (int round = 0; round < 3; round++) {
                try (Connection c = pool.getConnection()) {
                    for (int i = 0; i < 8; i++) { // past PgJDBC's prepareThreshold: a named server-side statement
                        try (PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
                            ps.setInt(1, i);
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                assertThat(rs.getInt(1)).isEqualTo(i + 1);
                            }
                        }
                    }
                    run(c, "CREATE TEMP TABLE scratch(x int)"); // fails if the last borrower's table survived
                    c.commit();
                }
            }
        }
    }

    @Test
    void pgbouncerRefusesAResetThatCannotWorkThere() {
        assertThatThrownBy(() -> EtlPool.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/x").pgbouncer(true)
                .resetOnReturn(ResetMode.RESET_ALL).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resetOnReturn (RESET_ALL) does not work with pgbouncer(true)");
        assertThatThrownBy(() -> EtlPool.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/x?prepareThreshold=5")
                .pgbouncer(true).build())
                .hasMessageContaining("prepareThreshold does not work with pgbouncer(true)");
        PoolConfig c = EtlPool.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/x").pgbouncer(true).validate();
        assertThat(c.resetOnReturn()).isEqualTo(ResetMode.NONE);
        assertThat(c.driverProperties().getProperty("prepareThreshold")).isEqualTo("0");
    }
}
