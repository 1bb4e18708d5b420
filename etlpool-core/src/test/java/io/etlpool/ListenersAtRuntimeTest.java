package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Several listeners on one pool on a real server, added and removed while borrowers run. */
@PostgresTest
class ListenersAtRuntimeTest {

    private static final int THREADS = 4;
    private static final int BORROWS_PER_THREAD = 50;

    /** Runs THREADS x BORROWS_PER_THREAD borrows of a query each, and rethrows the first failure. */
    private static void borrowRound(EtlPool pool, ExecutorService executor) throws Exception {
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(executor.submit(() -> {
                for (int i = 0; i < BORROWS_PER_THREAD; i++) {
                    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT 1")) {
                        rs.next();
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void eachListenerGetsTheEventsOfTheTimeItWasAddedAndNoneAfterRemoval(TestDatabase db) throws Exception {
        int round = THREADS * BORROWS_PER_THREAD;
        PoolRaceTest.Counting first = new PoolRaceTest.Counting();
        PoolRaceTest.Counting second = new PoolRaceTest.Counting();
        PoolRaceTest.Counting churn = new PoolRaceTest.Counting();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS + 1);
        try (EtlPool pool = TestPools.builder(db).minSize(0).maxSize(2).registerMBean(false).build()) {
            pool.addListener(first);
            borrowRound(pool, executor);
            pool.addListener(second);
            // one more listener added and removed over and over while the borrowers run
            Future<?> churner = executor.submit(() -> {
                while (!stop.get()) {
                    pool.addListener(churn);
                    Thread.onSpinWait();
                    pool.removeListener(churn);
                }
                return null;
            });
            borrowRound(pool, executor);
            stop.set(true);
            churner.get(10, TimeUnit.SECONDS);
            assertThat(pool.removeListener(first)).isTrue();
            assertThat(pool.removeListener(first)).as("already removed").isFalse();
            borrowRound(pool, executor);

            assertThat(first.borrowed.get()).isEqualTo(2 * round);
            assertThat(first.returned.get()).isEqualTo(2 * round);
            assertThat(second.borrowed.get()).isEqualTo(2 * round);
            assertThat(second.returned.get()).isEqualTo(2 * round);
            assertThat(pool.stats().borrows()).isEqualTo(3L * round);
            assertThat(pool.stats().active()).isZero();
        } finally {
            stop.set(true);
            executor.shutdownNow();
        }
    }
}
