package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.etlpool.TestPools.backendPid;
import static io.etlpool.TestPools.builder;
import static io.etlpool.TestPools.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@PostgresTest
class BrokenConnectionTest {

    @Test
    void aConnectionKilledInUseIsDiscardedOnReturnAndReplaced(TestDatabase db) throws SQLException {
        try (EtlPool pool = builder(db).minSize(2).maxSize(2).build()) {
            eventually(Duration.ofSeconds(5), "2 open", () -> pool.stats().total() == 2);
            Set<Integer> killed = new HashSet<>();
            try (Connection c = pool.getConnection()) {
                killed.add(backendPid(c));
                db.terminateBackends();
                assertThatThrownBy(() -> c.createStatement().execute("SELECT 1"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isIn("57P01", "08006", "08003"));
            }
            assertThat(pool.stats().brokenDiscarded()).isEqualTo(1);
            // the idle one was killed too: it is validated before lending, never lent dead
            for (int i = 0; i < 4; i++) {
                try (Connection c = pool.getConnection()) {
                    assertThat(c.isValid(1)).isTrue();
                    assertThat(killed).doesNotContain(backendPid(c));
                }
            }
            eventually(Duration.ofSeconds(5), "refilled to minSize", () -> pool.stats().total() == 2);
            assertThat(pool.stats().validationFailures()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void idleConnectionsKilledAreNeverLent(TestDatabase db) throws SQLException {
        try (EtlPool pool = builder(db).minSize(3).maxSize(3).keepaliveInterval(Duration.ZERO).build()) {
            eventually(Duration.ofSeconds(5), "3 open", () -> pool.stats().total() == 3);
            Set<Integer> before = new HashSet<>();
            List<Connection> all = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                all.add(pool.getConnection());
            }
            for (Connection c : all) {
                before.add(backendPid(c));
                c.close();
            }
            db.terminateBackends();
            sleep(600); // past validateAfterIdle, so the next borrow validates
            try (Connection c = pool.getConnection()) {
                assertThat(before).doesNotContain(backendPid(c));
            }
        }
    }

    @Test
    void keepaliveFindsDeadIdleConnectionsWithoutABorrower(TestDatabase db) throws SQLException {
        try (EtlPool pool = builder(db).minSize(2).maxSize(2).keepaliveInterval(Duration.ofMillis(100)).build()) {
            eventually(Duration.ofSeconds(5), "2 open", () -> pool.stats().total() == 2);
            db.terminateBackends();
            eventually(Duration.ofSeconds(5), "dead ones replaced in the background",
                    () -> pool.stats().validationFailures() >= 2 && pool.stats().total() == 2);
            assertThat(pool.stats().borrows()).isZero();
        }
    }

    @Test
    void anUnreachableDatabaseIsReportedAsSuchWithTheConnectError(TestDatabase db) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (EtlPool pool = EtlPool.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/x")
                .username("u").password("s3cret-pw").initializationFailTimeout(Duration.ofSeconds(-1))
                .connectionTimeout(Duration.ofMillis(500)).build()) {
            assertThatThrownBy(pool::getConnection)
                    .isInstanceOfSatisfying(PoolTimeoutException.class, e -> {
                        assertThat(e.reason()).isEqualTo(PoolTimeoutException.Reason.DATABASE_UNREACHABLE);
                        assertThat(e.getMessage()).contains("could not reach the database").contains("127.0.0.1:" + closedPort)
                                .doesNotContain("pool exhausted").doesNotContain("s3cret-pw");
                        assertThat(e.getSQLState()).isEqualTo("08001");
                        assertThat(e.getCause()).isInstanceOf(SQLException.class);
                    });
            assertThat(pool.stats().connectFailures()).isPositive();
            assertThat(pool.toString()).doesNotContain("s3cret-pw");
            assertThat(pool.config().toString()).doesNotContain("s3cret-pw").contains("password=****");
        }
    }

    @Test
    void aWrongPasswordFailsBuildAtOnceWithoutShowingThePassword(TestDatabase db) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> builder(db).password("wrong-secret").initializationFailTimeout(Duration.ofSeconds(30)).build())
                .isInstanceOfSatisfying(PoolInitializationException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("28P01");
                    assertThat(e.getMessage()).contains("refused the login").contains("check the username and password")
                            .doesNotContain("wrong-secret");
                });
        // a refused login is not retried for the whole initializationFailTimeout
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
