package io.etlpool.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@PostgresTest
class FaultProxyTest {

    private static Connection connect(TestDatabase db, FaultProxy proxy, int socketTimeoutSeconds) throws SQLException {
        Properties p = db.credentials();
        p.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
        p.setProperty("connectTimeout", "3");
        return DriverManager.getConnection(db.jdbcUrlVia(proxy), p);
    }

    private static int selectOne(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void passesTrafficThrough(TestDatabase db) throws SQLException {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port());
             Connection c = connect(db, proxy, 5)) {
            assertThat(selectOne(c)).isEqualTo(1);
            assertThat(proxy.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void stallMakesAQueryFailAfterTheSocketTimeout(TestDatabase db) throws SQLException {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port());
             Connection c = connect(db, proxy, 2)) {
            proxy.stall();
            long start = System.nanoTime();
            assertThatThrownBy(() -> selectOne(c)).isInstanceOf(SQLException.class);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // it waited for the timeout (no early failure: nothing was closed), and did not hang
            assertThat(took).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(30));
            assertThat(c.isClosed()).isTrue();
        }
    }

    @Test
    void cutFailsQueriesAtOnceAndHealLetsNewConnectionsThrough(TestDatabase db) throws SQLException {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port())) {
            try (Connection c = connect(db, proxy, 60)) {
                assertThat(selectOne(c)).isEqualTo(1);
                proxy.cut();
                long start = System.nanoTime();
                assertThatThrownBy(() -> selectOne(c))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).startsWith("08"));
                // "at once": far below the 60 s socket timeout
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            }
            proxy.heal();
            try (Connection again = connect(db, proxy, 5)) {
                assertThat(selectOne(again)).isEqualTo(1);
            }
        }
    }

    @Test
    void refuseNewRefusesConnectionsUntilHealed(TestDatabase db) throws SQLException {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port())) {
            proxy.refuseNew();
            assertThatThrownBy(() -> connectOrSayWhereTo(db, proxy))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"))
                    .hasMessageContaining("refused");
            proxy.heal();
            try (Connection c = connect(db, proxy, 5)) {
                assertThat(selectOne(c)).isEqualTo(1);
            }
        }
    }

    /**
     * While refusing, the port stays taken: a client socket bound to it (what the kernel could otherwise
     * pick by chance as a client's ephemeral port) cannot connect to itself through it (a TCP self-connect
     * on loopback succeeds, and a test would see a connection where it expects a refusal).
     */
    @Test
    void refuseNewKeepsThePortSoNothingAnswersOnIt(TestDatabase db) throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port())) {
            InetSocketAddress address = new InetSocketAddress(proxy.host(), proxy.port());
            proxy.refuseNew();
            try (Socket self = new Socket()) {
                assertThatThrownBy(() -> {
                    self.bind(address);
                    self.connect(address, 2_000);
                }).as("a connect from the proxy's port to itself").isInstanceOf(IOException.class);
            }
            proxy.heal();
            try (Connection c = connect(db, proxy, 5)) {
                assertThat(selectOne(c)).isEqualTo(1);
            }
        }
    }

    /** A connection through the proxy; should one succeed, the failure says which server answered, from which port. */
    private static Connection connectOrSayWhereTo(TestDatabase db, FaultProxy proxy) throws SQLException {
        Connection c = connect(db, proxy, 5);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT inet_server_port(), inet_client_port(), current_database(), pg_backend_pid()")) {
            rs.next();
            throw new AssertionError("connected through " + proxy + " although it refuses: server port " + rs.getInt(1)
                    + " (the test server's is " + db.server().port() + "), client port " + rs.getInt(2) + ", database "
                    + rs.getString(3) + ", backend " + rs.getInt(4) + "; proxy connections " + proxy.connectionCount());
        } finally {
            c.close();
        }
    }

    @Test
    void stallAlsoHoldsNewConnectionsUntilHeal(TestDatabase db) throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port())) {
            proxy.stall();
            assertThatThrownBy(() -> connect(db, proxy, 2)).isInstanceOf(SQLException.class);
            proxy.heal();
            try (Connection c = connect(db, proxy, 5)) {
                assertThat(selectOne(c)).isEqualTo(1);
            }
        }
    }

    @Test
    void latencyDelaysEveryRoundTrip(TestDatabase db) throws SQLException {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port());
             Connection c = connect(db, proxy, 10)) {
            proxy.latency(Duration.ofMillis(200));
            long start = System.nanoTime();
            selectOne(c);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    @Test
    void refusesTargetsOffLoopback() {
        assertThatThrownBy(() -> FaultProxy.start("192.0.2.1", 5432))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }
}
