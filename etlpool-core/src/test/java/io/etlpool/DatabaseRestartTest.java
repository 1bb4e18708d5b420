package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import static io.etlpool.TestPools.builder;
import static io.etlpool.TestPools.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The server stops for 3 s under load and comes back on the same port. */
@PostgresTest(dedicatedServer = true)
class DatabaseRestartTest {

    private static final int THREADS = 16;

    /** When the server accepted connections again; 0 before. */
    private volatile long backAt;

    @Test
    void borrowersSeeAnUnreachableDatabaseAndAllRecoverWhenItIsBack(TestDatabase db) throws Exception {
        try (EtlPool pool = builder(db).minSize(4).maxSize(10).connectionTimeout(Duration.ofMillis(500)).build()) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLongArray lastSuccess = new AtomicLongArray(THREADS);
            AtomicLongArray firstAfterBack = new AtomicLongArray(THREADS);
            ConcurrentLinkedQueue<PoolTimeoutException> timeouts = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int id = i;
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        try (Connection c = pool.getConnection()) {
                            c.createStatement().execute("SELECT 1");
                            long now = System.nanoTime();
                            lastSuccess.set(id, now);
                            long back = backAt;
                            if (back != 0 && now - back > 0) {
                                firstAfterBack.compareAndSet(id, 0, now);
                            }
                        } catch (PoolTimeoutException e) {
                            timeouts.add(e);
                        } catch (SQLException lostMidQuery) {
                            // the server went away under this query: expected during the outage
                        }
                        pause(2);
                    }
                }, "borrower-" + i);
                t.start();
                threads.add(t);
            }
            eventually(Duration.ofSeconds(10), "every thread has succeeded once", () -> allAfter(lastSuccess, 0));

            db.server().stop();
            long outageStart = System.nanoTime();
            pause(3_000);
            List<PoolTimeoutException> duringOutage = new ArrayList<>(timeouts);
            db.server().start();
            long back = System.nanoTime();
            backAt = back;

            eventually(Duration.ofSeconds(15), "every thread succeeds after the restart", () -> allAfter(firstAfterBack, back));
            long first = Long.MAX_VALUE;
            long last = 0;
            for (int i = 0; i < THREADS; i++) {
                first = Math.min(first, firstAfterBack.get(i));
                last = Math.max(last, firstAfterBack.get(i));
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join(5_000);
            }
            System.out.printf("database restart: outage %d ms; after the server accepted connections: first success "
                            + "after %d ms, all %d threads succeeding after %d ms%n",
                    (back - outageStart) / 1_000_000, Math.max(0, first - back) / 1_000_000, THREADS,
                    Math.max(0, last - back) / 1_000_000);

            assertThat(duringOutage).isNotEmpty().allSatisfy(e -> {
                assertThat(e.reason()).isEqualTo(PoolTimeoutException.Reason.DATABASE_UNREACHABLE);
                assertThat(e.getMessage()).contains("could not reach the database").doesNotContain("pool exhausted");
                assertThat(e.getCause()).isInstanceOf(SQLException.class);
            });
            // generous against a busy CI machine; the measured figures are printed above and in docs/RELIABILITY.md
            assertThat(Duration.ofNanos(last - back)).isLessThan(Duration.ofSeconds(5));
            assertThat(pool.stats().active()).isZero();
        }
    }

    /** True once every thread has a success recorded after the given time. */
    private static boolean allAfter(AtomicLongArray successes, long time) {
        for (int i = 0; i < successes.length(); i++) {
            if (successes.get(i) == 0 || successes.get(i) - time <= 0) {
                return false;
            }
        }
        return true;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
