package io.etlpool;

import io.etlpool.testing.FaultProxy;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static io.etlpool.TestPools.backendPid;
import static io.etlpool.TestPools.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A TCP proxy between the pool and the server stalls (a partition) or cuts every connection. */
@PostgresTest
class NetworkPartitionTest {

    private static EtlPoolBuilder throughProxy(TestDatabase db, FaultProxy proxy) {
        return EtlPool.builder().jdbcUrl(db.jdbcUrlVia(proxy)).username(db.user()).password(db.password())
                .closeGracePeriod(Duration.ofSeconds(1));
    }

    @Test
    void aQueryOnAStalledConnectionFailsWithinTheSocketTimeout(TestDatabase db) throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port());
             EtlPool pool = throughProxy(db, proxy).property("socketTimeout", "1").minSize(1).maxSize(2)
                     .connectionTimeout(Duration.ofSeconds(5)).build()) {
            try (Connection c = pool.getConnection()) {
                proxy.stall();
                long start = System.nanoTime();
                assertThatThrownBy(() -> c.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .isBetween(Duration.ofMillis(800), Duration.ofSeconds(10));
            }
            assertThat(pool.stats().brokenDiscarded()).isEqualTo(1);
            proxy.heal();
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(2)).isTrue();
            }
        }
    }

    @Test
    void validationDuringAPartitionNeverHoldsABorrowerPastConnectionTimeout(TestDatabase db) throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port());
             EtlPool pool = throughProxy(db, proxy).minSize(2).maxSize(2)
                     .validateAfterIdle(Duration.ZERO).validationTimeout(Duration.ofMillis(500))
                     .connectionTimeout(Duration.ofSeconds(2)).build()) {
            eventually(Duration.ofSeconds(5), "2 open", () -> pool.stats().total() == 2);
            proxy.stall();
            long start = System.nanoTime();
            assertThatThrownBy(pool::getConnection).isInstanceOf(PoolTimeoutException.class);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            // 2 s connectionTimeout; validations of 500 ms each fit inside it, none runs past it
            assertThat(waited).isBetween(Duration.ofMillis(1500), Duration.ofMillis(3000));
            assertThat(pool.stats().validationFailures()).isGreaterThanOrEqualTo(2);
            proxy.heal();
            eventually(Duration.ofSeconds(20), "new connections after heal", () -> {
                try (Connection c = pool.getConnection()) {
                    return c.isValid(2);
                } catch (SQLException stillRecovering) {
                    return false;
                }
            });
        }
    }

    @Test
    void closingThePoolWhileAConnectHangsIsNotAConnectFailure(TestDatabase db) throws Exception {
        AtomicInteger failures = new AtomicInteger();
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port())) {
            proxy.stall();
            EtlPool pool = throughProxy(db, proxy).minSize(1).maxSize(1)
                    .initializationFailTimeout(Duration.ofSeconds(-1))
                    .listener(new PoolListener() {
                        @Override
                        public void connectFailed(SQLException error, int consecutiveFailures) {
                            failures.incrementAndGet();
                        }
                    }).build();
            eventually(Duration.ofSeconds(5), "a connect in progress", () -> pool.stats().pending() == 1);
            pool.close(); // interrupts the hanging connect
            assertThat(pool.stats().connectFailures()).isZero();
            assertThat(failures).hasValue(0);
        }
    }

    @Test
    void aCutBehavesLikeKilledSessions(TestDatabase db) throws Exception {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", db.server().port());
             EtlPool pool = throughProxy(db, proxy).minSize(2).maxSize(2).build()) {
            eventually(Duration.ofSeconds(5), "2 open", () -> pool.stats().total() == 2);
            int cutPid;
            try (Connection c = pool.getConnection()) {
                cutPid = backendPid(c);
                proxy.cut();
                assertThatThrownBy(() -> c.createStatement().execute("SELECT 1"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).startsWith("08"));
            }
            for (int i = 0; i < 3; i++) {
                try (Connection c = pool.getConnection()) {
                    assertThat(backendPid(c)).isNotEqualTo(cutPid);
                }
            }
            eventually(Duration.ofSeconds(5), "refilled", () -> pool.stats().total() == 2);
        }
    }
}
