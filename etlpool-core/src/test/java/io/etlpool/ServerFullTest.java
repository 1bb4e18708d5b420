package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.etlpool.TestPools.builder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Other clients use every connection slot of the server (SQLState 53300). */
@PostgresTest(dedicatedServer = true, maxConnections = 12)
class ServerFullTest {

    @Test
    void thePoolBacksOffKeepsLendingWhatItHasAndGrowsWhenSlotsFree(TestDatabase db) throws Exception {
        List<Connection> others = new ArrayList<>();
        try (EtlPool pool = builder(db).minSize(1).maxSize(4).connectionTimeout(Duration.ofSeconds(1)).build()) {
            pool.query("SELECT 1"); // one connection open
            fillServer(db, others);

            Connection held = pool.getConnection(); // the pool keeps lending the connection it has
            long failuresBefore = pool.stats().connectFailures();
            long start = System.nanoTime();
            assertThatThrownBy(pool::getConnection).isInstanceOfSatisfying(PoolTimeoutException.class, e -> {
                assertThat(e.reason()).isEqualTo(PoolTimeoutException.Reason.SERVER_FULL);
                assertThat(e.getMessage()).contains("the server has no free connection slots");
                assertThat(e.getSQLState()).isEqualTo("53300");
            });
            Thread.sleep(2_000);
            long attempts = pool.stats().connectFailures() - failuresBefore;
            double seconds = (System.nanoTime() - start) / 1e9;
            // backoff (25 ms doubling to 250 ms): a handful of attempts, not a tight loop
            assertThat(attempts).isBetween(1L, (long) (4 + seconds * 4 + 1));
            held.close();
            try (Connection again = pool.getConnection()) {
                assertThat(again.isValid(1)).isTrue();
            }

            closeAll(others.subList(0, 2));
            try (Lease two = pool.acquire(2)) { // needs a second connection: the pool grows again
                assertThat(two.size()).isEqualTo(2);
            }
            assertThat(pool.stats().total()).isGreaterThanOrEqualTo(2);
        } finally {
            closeAll(others);
        }
    }

    @Test
    void severalWaitingBorrowersDoNotMultiplyTheAttemptsOnAFullServer(TestDatabase db) throws Exception {
        List<Connection> others = new ArrayList<>();
        ExecutorService borrowers = Executors.newFixedThreadPool(3);
        try (EtlPool pool = builder(db).minSize(1).maxSize(4).connectionTimeout(Duration.ofSeconds(1)).build()) {
            pool.query("SELECT 1");
            fillServer(db, others);
            Connection held = pool.getConnection(); // the waiters below need new connections
            long failuresBefore = pool.stats().connectFailures();
            long start = System.nanoTime();
            List<Future<?>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(borrowers.submit(() -> {
                    assertThatThrownBy(pool::getConnection).isInstanceOf(PoolTimeoutException.class);
                    return null;
                }));
            }
            for (Future<?> w : waiters) {
                w.get(10, TimeUnit.SECONDS);
            }
            Thread.sleep(300); // an attempt under way when the waiters gave up
            long attempts = pool.stats().connectFailures() - failuresBefore;
            double seconds = (System.nanoTime() - start) / 1e9;
            // three openers may fail at once; after that one at a time, at the backoff's pace, as for a
            // single waiter (each opener on its own would make about three times as many)
            assertThat(attempts).isBetween(1L, (long) (3 + 4 + seconds * 4 + 1));
            held.close();
        } finally {
            borrowers.shutdownNow();
            closeAll(others);
        }
    }

    /** Opens connections until the server refuses one with 53300. */
    private static void fillServer(TestDatabase db, List<Connection> others) throws SQLException {
        while (true) {
            try {
                others.add(DriverManager.getConnection(db.jdbcUrl(), db.credentials()));
            } catch (SQLException e) {
                assertThat(e.getSQLState()).isEqualTo("53300");
                return;
            }
            assertThat(others).hasSizeLessThan(20);
        }
    }

    private static void closeAll(List<Connection> connections) throws SQLException {
        for (Connection c : connections) {
            c.close();
        }
    }
}
