package io.etlpool;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static io.etlpool.TestPools.builder;
import static io.etlpool.TestPools.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1000 threads on a pool of 10: short and long work, evictions, and borrowers that time out (every
 * few seconds a hog takes all 10 connections with acquire(10), queueing fairly among 999 single
 * borrowers, and holds them past connectionTimeout). Runs 30 s in the default suite;
 * {@code mvn -B verify -Psoak} runs it for 10 minutes (etlpool.soak.seconds).
 */
@PostgresTest
class SoakTest {

    private static final int THREADS = 1000;
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);
    /** A borrower served in time can still wait for a core before it runs: 1000 threads share 2 here. */
    private static final Duration SCHEDULING_SLACK = Duration.ofSeconds(1);

    @Test
    void manyThreadsNoDeadlockNoStarvationConsistentCounts(TestDatabase db) throws Exception {
        int seconds = Integer.getInteger("etlpool.soak.seconds", 30);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLongArray successes = new AtomicLongArray(THREADS);
        AtomicLong timeouts = new AtomicLong();
        AtomicLong evictions = new AtomicLong();
        AtomicLong maxSuccessfulWaitNanos = new AtomicLong();
        AtomicLong unexpected = new AtomicLong();
        try (EtlPool pool = builder(db).minSize(2).maxSize(10).connectionTimeout(CONNECTION_TIMEOUT).build()) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int id = i;
                Thread t = new Thread(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (System.nanoTime() - end < 0) {
                        long start = System.nanoTime();
                        Connection c;
                        try {
                            c = pool.getConnection();
                        } catch (PoolTimeoutException e) {
                            timeouts.incrementAndGet();
                            continue;
                        } catch (SQLException e) {
                            unexpected.incrementAndGet();
                            continue;
                        }
                        maxSuccessfulWaitNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                        try {
                            int dice = random.nextInt(100);
                            String work = dice < 5 ? "SELECT pg_sleep(" + (20 + random.nextInt(80)) / 1000.0 + ")" : "SELECT 1";
                            c.createStatement().execute(work);
                            successes.incrementAndGet(id);
                            if (dice >= 97) {
                                evictions.incrementAndGet();
                                pool.evict(c);
                            }
                        } catch (SQLException e) {
                            unexpected.incrementAndGet();
                        } finally {
                            closeQuietly(c);
                        }
                    }
                }, "soak-" + i);
                t.setDaemon(true);
                threads.add(t);
            }
            AtomicLong hogs = new AtomicLong();
            Thread hog = new Thread(() -> {
                while (System.nanoTime() - end < -CONNECTION_TIMEOUT.multipliedBy(3).toNanos()) {
                    pause(4_000);
                    try (Lease all = pool.acquire(10)) {
                        hogs.incrementAndGet();
                        pause(CONNECTION_TIMEOUT.toMillis() + 500); // everyone waiting now times out
                    } catch (SQLException e) {
                        timeouts.incrementAndGet(); // the hog itself may time out: counted like the others
                    }
                }
            }, "soak-hog");
            hog.setDaemon(true);
            threads.forEach(Thread::start);
            hog.start();
            for (Thread t : threads) {
                t.join(Math.max(1, (end - System.nanoTime()) / 1_000_000) + 60_000);
            }
            hog.join(30_000);
            assertThat(threads).noneMatch(Thread::isAlive); // no deadlock: every thread finished
            assertThat(hog.isAlive()).isFalse();

            long[] perThread = new long[THREADS];
            for (int i = 0; i < THREADS; i++) {
                perThread[i] = successes.get(i);
            }
            Arrays.sort(perThread);
            PoolStats s = pool.stats();
            System.out.printf("soak: %d threads, %d s: %d borrows (%d timed out, %d evicted, %d hog phases); successful "
                            + "borrows per thread min %d, median %d, max %d; longest successful wait %d ms; %s%n",
                    THREADS, seconds, s.borrows(), timeouts.get(), evictions.get(), hogs.get(), perThread[0],
                    perThread[THREADS / 2], perThread[THREADS - 1], maxSuccessfulWaitNanos.get() / 1_000_000, s);

            assertThat(unexpected).hasValue(0);
            assertThat(hogs.get()).as("hog phases").isPositive();
            assertThat(timeouts.get()).as("borrowers that timed out").isPositive();
            assertThat(perThread[0]).as("the thread with the fewest successful borrows (starvation)").isPositive();
            assertThat(Duration.ofNanos(maxSuccessfulWaitNanos.get()))
                    .isLessThanOrEqualTo(CONNECTION_TIMEOUT.plus(SCHEDULING_SLACK));
            assertThat(s.active()).isZero();
            assertThat(s.total()).isLessThanOrEqualTo(10);
            assertThat(s.timeouts()).isEqualTo(timeouts.get());
            assertThat(s.brokenDiscarded()).isZero();
            eventually(Duration.ofSeconds(5), "the pool's connections are the server's sessions",
                    () -> pool.stats().total() == db.backendCount());
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // giving back never throws for a pooled connection; nothing to do
        }
    }
}
