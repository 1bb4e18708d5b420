package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.etlpool.TestPools.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * After its first connection has shown the server's version, the pool logs in without PgJDBC's
 * follow-up query (SET application_name, and extra_float_digits before PostgreSQL 12): the session
 * gets the same settings from the login message. The server logs every statement, by database.
 */
@PostgresTest(dedicatedServer = true, serverSettings = {"log_statement=all", "log_line_prefix=[%d]"})
class LoginRoundTripsTest {

    private static final int SIZE = 4;

    @Test
    void onlyTheFirstConnectionRunsTheDriversSetUpQueries(TestDatabase db) throws Exception {
        try (EtlPool pool = pool(db).build()) {
            eventually(Duration.ofSeconds(20), SIZE + " connections", () -> pool.stats().total() == SIZE);
            assertThat(setUpQueries(db)).isEqualTo(1);
            assertSessionSettings(db, pool); // its own driver login runs the query once more
        }
    }

    @Test
    void aServerVersionTheUserGaveIsKept(TestDatabase db) throws Exception {
        try (EtlPool pool = pool(db).property("assumeMinServerVersion", "8.4").build()) {
            eventually(Duration.ofSeconds(20), SIZE + " connections", () -> pool.stats().total() == SIZE);
            assertThat(setUpQueries(db)).isEqualTo(SIZE);
            assertSessionSettings(db, pool); // its own driver login runs the query once more
        }
    }

    private static EtlPoolBuilder pool(TestDatabase db) {
        return EtlPool.builder().jdbcUrl(db.jdbcUrl()).username(db.user()).password(db.password())
                .minSize(SIZE).maxSize(SIZE);
    }

    /** Every pooled connection, on whichever path it logged in, has the settings of a plain driver login. */
    private static void assertSessionSettings(TestDatabase db, EtlPool pool) throws SQLException {
        String floatDigits;
        String applicationName;
        try (Connection direct = db.connect()) {
            floatDigits = show(direct, "extra_float_digits");
            applicationName = show(direct, "application_name");
        }
        assertThat(applicationName).isEqualTo("PostgreSQL JDBC Driver");
        List<Connection> all = new ArrayList<>();
        try {
            for (int i = 0; i < SIZE; i++) {
                all.add(pool.getConnection());
            }
            for (Connection c : all) {
                assertThat(show(c, "extra_float_digits")).isEqualTo(floatDigits);
                assertThat(show(c, "application_name")).isEqualTo(applicationName);
            }
        } finally {
            for (Connection c : all) {
                c.close();
            }
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** How many times the server ran PgJDBC's set-up query in the test's database. */
    private static long setUpQueries(TestDatabase db) {
        return db.server().logTail(5_000).lines()
                .filter(l -> l.startsWith("[" + db.name() + "]") && l.contains("statement: SET application_name"))
                .count();
    }
}
