package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

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
class PoolSizingTest {

    @Test
    void minSizeConnectionsExistAfterStart(TestDatabase db) {
        try (EtlPool pool = builder(db).minSize(3).maxSize(5).build()) {
            eventually(Duration.ofSeconds(5), "3 connections open", () -> pool.stats().total() == 3);
            assertThat(db.backendCount()).isEqualTo(3);
            assertThat(pool.stats().idle()).isEqualTo(3);
            assertThat(pool.stats().active()).isZero();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void growsOnDemandUpToMaxSizeAndNoFurther(TestDatabase db) throws SQLException {
        try (EtlPool pool = builder(db).minSize(0).maxSize(3).connectionTimeout(Duration.ofMillis(300)).build()) {
            List<Connection> held = new ArrayList<>();
            Set<Integer> pids = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                Connection c = pool.getConnection();
                held.add(c);
                pids.add(backendPid(c));
            }
            assertThat(pids).hasSize(3);
            assertThat(pool.stats().active()).isEqualTo(3);
            assertThatThrownBy(pool::getConnection)
                    .isInstanceOfSatisfying(PoolTimeoutException.class, e -> {
                        assertThat(e.reason()).isEqualTo(PoolTimeoutException.Reason.POOL_EXHAUSTED);
                        assertThat(e.getMessage()).contains("pool exhausted").contains("3 of 3 in use")
                                .contains(pool.name());
                    });
            assertThat(db.backendCount()).isEqualTo(3);
            for (Connection c : held) {
                c.close();
            }
            assertThat(pool.stats().active()).isZero();
            assertThat(pool.stats().timeouts()).isEqualTo(1);
        }
    }

    @Test
    void idleConnectionsAboveMinSizeCloseAfterIdleTimeout(TestDatabase db) throws SQLException {
        try (EtlPool pool = builder(db).minSize(1).maxSize(4).idleTimeout(Duration.ofMillis(200)).build()) {
            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(pool.getConnection());
            }
            for (Connection c : held) {
                c.close();
            }
            assertThat(pool.stats().total()).isEqualTo(4);
            eventually(Duration.ofSeconds(5), "shrunk to minSize", () -> pool.stats().total() == 1);
            eventually(Duration.ofSeconds(2), "server sessions follow", () -> db.backendCount() == 1);
            assertThat(pool.stats().connectionsClosed()).isEqualTo(3);
        }
    }

    @Test
    void idleConnectionsPastMaxLifetimeAreReplacedButABorrowedOneIsNeverTakenAway(TestDatabase db) throws SQLException {
        try (EtlPool pool = builder(db).minSize(2).maxSize(2).maxLifetime(Duration.ofMillis(300)).build()) {
            eventually(Duration.ofSeconds(5), "2 open", () -> pool.stats().total() == 2);
            try (Connection held = pool.getConnection()) {
                int heldPid = backendPid(held);
                // the idle one is retired and replaced while we hold ours past its lifetime
                eventually(Duration.ofSeconds(5), "idle one replaced", () -> pool.stats().connectionsCreated() >= 3);
                Thread.sleep(400);
                assertThat(backendPid(held)).isEqualTo(heldPid);
                assertThat(held.isValid(1)).isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            // ours was past its lifetime when returned: closed then, and replaced to keep minSize
            eventually(Duration.ofSeconds(5), "back to 2 fresh connections",
                    () -> pool.stats().total() == 2 && pool.stats().connectionsCreated() >= 4);
        }
    }

    @Test
    void resizeGrowsAndShrinksWhileRunning(TestDatabase db) throws SQLException {
        try (EtlPool pool = builder(db).minSize(1).maxSize(2).build()) {
            pool.resize(4, 6);
            eventually(Duration.ofSeconds(5), "grown to the new minSize", () -> pool.stats().total() == 4);
            assertThat(pool.stats().maxSize()).isEqualTo(6);
            Connection held = pool.getConnection();
            pool.resize(0, 2);
            eventually(Duration.ofSeconds(5), "idle ones above the new maxSize closed", () -> pool.stats().total() <= 2);
            assertThat(held.isValid(1)).isTrue(); // a borrowed connection is not taken away
            held.close();
            assertThatThrownBy(() -> pool.resize(3, 2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("minSize <= maxSize");
        }
    }

    @Test
    void connectionsAreOpenedOffTheBorrowersThread(TestDatabase db) throws SQLException {
        Set<String> openingThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(db.jdbcUrl());
        ds.setUser(db.user());
        ds.setPassword(db.password());
        javax.sql.DataSource recording = new ThreadRecordingDataSource(ds, openingThreads);
        try (EtlPool pool = EtlPool.builder().dataSource(recording).minSize(0).maxSize(3).build()) {
            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(pool.getConnection());
            }
            for (Connection c : held) {
                c.close();
            }
        }
        assertThat(openingThreads).isNotEmpty().allSatisfy(t -> assertThat(t).endsWith("-opener"));
        assertThat(openingThreads).doesNotContain(Thread.currentThread().getName());
    }
}
