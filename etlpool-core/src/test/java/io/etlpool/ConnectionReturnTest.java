package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static io.etlpool.TestPools.backendPid;
import static io.etlpool.TestPools.builder;
import static io.etlpool.TestPools.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a borrower leaves behind never reaches the next borrower. */
@PostgresTest
class ConnectionReturnTest {

    private static EtlPool singleConnectionPool(TestDatabase db) throws SQLException {
        return builder(db).minSize(1).maxSize(1).build();
    }

    @Test
    void anOpenTransactionIsRolledBackOnReturn(TestDatabase db) throws SQLException {
        try (EtlPool pool = singleConnectionPool(db)) {
            pool.execute("CREATE TABLE t(id int)");
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                c.createStatement().execute("INSERT INTO t VALUES (1)");
                // no commit
            }
            assertThat(pool.query("SELECT count(*) AS n FROM t").get(0).getLong("n")).isZero();
        }
    }

    @Test
    void changedSessionSettingsAreRestored(TestDatabase db) throws SQLException {
        try (EtlPool pool = singleConnectionPool(db)) {
            pool.execute("CREATE SCHEMA other");
            int pid;
            try (Connection c = pool.getConnection()) {
                pid = backendPid(c);
                c.setAutoCommit(false);
                c.setReadOnly(true);
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                c.setSchema("other");
                c.setNetworkTimeout(Runnable::run, 1234);
            }
            try (Connection c = pool.getConnection()) {
                assertThat(backendPid(c)).isEqualTo(pid); // the same physical connection, cleaned
                assertThat(c.getAutoCommit()).isTrue();
                assertThat(c.isReadOnly()).isFalse();
                assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
                assertThat(c.getSchema()).isEqualTo("public");
                assertThat(c.getNetworkTimeout()).isZero();
            }
        }
    }

    @Test
    void statementsAndResultSetsLeftOpenAreClosedOnReturn(TestDatabase db) throws SQLException {
        try (EtlPool pool = singleConnectionPool(db)) {
            Statement s;
            PreparedStatement ps;
            ResultSet rs;
            try (Connection c = pool.getConnection()) {
                s = c.createStatement();
                ps = c.prepareStatement("SELECT 1");
                rs = ps.executeQuery();
                assertThat(s.getConnection()).isSameAs(c);
                assertThat(rs.getStatement()).isSameAs(ps);
            }
            assertThat(s.isClosed()).isTrue();
            assertThat(ps.isClosed()).isTrue();
            assertThat(rs.isClosed()).isTrue();
        }
    }

    @Test
    void aReturnedConnectionCannotBeUsedAndASecondCloseIsHarmless(TestDatabase db) throws SQLException {
        try (EtlPool pool = singleConnectionPool(db)) {
            Connection c = pool.getConnection();
            c.close();
            c.close();
            assertThat(c.isClosed()).isTrue();
            assertThatThrownBy(c::createStatement)
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08003"))
                    .hasMessageContaining("returned to the pool");
            assertThat(pool.stats().active()).isZero();
            assertThat(pool.stats().idle()).isEqualTo(1);
        }
    }

    @Test
    void unwrapReachesPgJdbcAndCopyRunsThroughAPooledConnection(TestDatabase db) throws Exception {
        try (EtlPool pool = singleConnectionPool(db)) {
            pool.execute("CREATE TABLE copied(id int, name text)");
            try (Connection c = pool.getConnection()) {
                assertThat(c.isWrapperFor(PGConnection.class)).isTrue();
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                long rows = copy.copyIn("COPY copied FROM STDIN (FORMAT csv)", new StringReader("1,one\n2,two\n3,three\n"));
                assertThat(rows).isEqualTo(3);
            }
            assertThat(pool.query("SELECT name FROM copied ORDER BY id")).extracting(r -> r.getString("name"))
                    .containsExactly("one", "two", "three");
        }
    }

    @Test
    void queryBindsParametersAndReturnsAllRows(TestDatabase db) throws SQLException {
        try (EtlPool pool = singleConnectionPool(db)) {
            pool.execute("CREATE TABLE customers(id int, name text, region text)");
            assertThat(pool.execute("INSERT INTO customers VALUES (1, 'Ann', 'EU'), (2, 'Bo', 'US'), (3, 'Cy', 'EU')"))
                    .isEqualTo(3);
            List<Row> eu = pool.query("SELECT id, name FROM customers WHERE region = ? ORDER BY id", "EU");
            assertThat(eu).extracting(r -> r.getInt("id")).containsExactly(1, 3);
            assertThat(eu.get(0).asMap()).containsEntry("name", "Ann");
            assertThat(eu.get(0).columns()).containsExactly("id", "name");
            // a parameter is a value, never SQL
            assertThat(pool.query("SELECT id FROM customers WHERE region = ?", "EU' OR '1'='1")).isEmpty();
            assertThatThrownBy(() -> eu.get(0).get("nope")).hasMessageContaining("no column 'nope'");
            assertThat(pool.stats().active()).isZero();
        }
    }

    @Test
    void evictClosesTheConnectionInsteadOfReusingIt(TestDatabase db) throws SQLException {
        try (EtlPool pool = singleConnectionPool(db); EtlPool other = singleConnectionPool(db)) {
            Connection c = pool.getConnection();
            int pid = backendPid(c);
            Connection foreign = other.getConnection();
            assertThatThrownBy(() -> pool.evict(foreign)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not lent by pool");
            foreign.close();
            pool.evict(c);
            assertThat(c.isClosed()).isTrue();
            assertThatThrownBy(() -> pool.evict(c)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already given back");
            try (Connection next = pool.getConnection()) {
                assertThat(backendPid(next)).isNotEqualTo(pid);
            }
            eventually(Duration.ofSeconds(5), "evicted backend gone", () -> db.backendCount() == 2);
        }
    }

    @Test
    void initSqlRunsOnEveryNewConnection(TestDatabase db) throws SQLException {
        try (EtlPool pool = builder(db).initSql("SET statement_timeout = 4321").maxSize(2).build()) {
            assertThat(pool.query("SHOW statement_timeout").get(0).get(0)).isEqualTo("4321ms");
        }
    }

    @Test
    void statsCountWhatHappened(TestDatabase db) throws SQLException {
        try (EtlPool pool = builder(db).minSize(1).maxSize(2).build()) {
            for (int i = 0; i < 5; i++) {
                pool.query("SELECT 1");
            }
            PoolStats s = pool.stats();
            assertThat(s.borrows()).isEqualTo(5);
            assertThat(s.connectionsCreated()).isEqualTo(1);
            assertThat(s.active()).isZero();
            assertThat(s.totalUsage()).isPositive();
            assertThat(s.toString()).contains("borrows=5");
        }
    }
}
