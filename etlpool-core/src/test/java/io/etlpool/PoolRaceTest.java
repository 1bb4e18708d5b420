package io.etlpool;

import io.etlpool.testing.stub.Gate;
import io.etlpool.testing.stub.StubDatabase;
import io.etlpool.testing.stub.StubDatabase.Call;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Races of the pool's bookkeeping, on the stub database: each repeats its race many times in a second or two. */
class PoolRaceTest {

    /** Counts connections opened, closed, borrowed and returned. */
    static final class Counting implements PoolListener {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicInteger borrowed = new AtomicInteger();
        final AtomicInteger returned = new AtomicInteger();

        @Override
        public void connectionOpened(Duration took) {
            opened.incrementAndGet();
        }

        @Override
        public void connectionClosed(CloseReason reason) {
            closed.incrementAndGet();
        }

        @Override
        public void connectionBorrowed(Duration waited) {
            borrowed.incrementAndGet();
        }

        @Override
        public void connectionReturned(Duration used) {
            returned.incrementAndGet();
        }
    }

    @Test
    void twoThreadsClosingOneConnectionGiveItBackOnce() throws Exception {
        StubDatabase db = new StubDatabase();
        Counting events = new Counting();
        int rounds = 3000;
        try (EtlPool pool = TestPools.stub(db).maxSize(1).listener(events).build()) {
            CyclicBarrier go = new CyclicBarrier(3);
            Connection[] shared = new Connection[1];
            Runnable closer = () -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        go.await();
                        shared[0].close();
                        go.await();
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            CompletableFuture<Void> a = CompletableFuture.runAsync(closer);
            CompletableFuture<Void> b = CompletableFuture.runAsync(closer);
            for (int i = 0; i < rounds; i++) {
                shared[0] = pool.getConnection();
                go.await();
                go.await();
            }
            a.get(30, TimeUnit.SECONDS);
            b.get(30, TimeUnit.SECONDS);
            assertThat(events.returned.get()).as("give-backs for " + rounds + " borrows").isEqualTo(rounds);
        }
    }

    @Test
    void aForcedCloseRacingADiscardRemovesTheConnectionOnce() throws Exception {
        for (int round = 0; round < 150; round++) {
            StubDatabase db = new StubDatabase();
            Counting events = new Counting();
            EtlPool pool = TestPools.stub(db).minSize(2).maxSize(2).closeGracePeriod(Duration.ZERO)
                    .listener(events).build();
            TestPools.eventually(Duration.ofSeconds(5), "2 connections", () -> pool.stats().total() == 2);
            Connection c1 = pool.getConnection();
            Connection c2 = pool.getConnection();
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Void> evicting = CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                    pool.evict(c1);
                    pool.evict(c2);
                } catch (Exception e) {
                    // evict on a connection force-closed meanwhile may fail: not what is checked here
                }
            });
            go.countDown();
            pool.close();
            evicting.get(10, TimeUnit.SECONDS);
            TestPools.eventually(Duration.ofSeconds(5), "every close reported",
                    () -> events.closed.get() >= events.opened.get());
            assertThat(events.closed.get()).as("closes of " + events.opened.get() + " connections (round " + round + ")")
                    .isEqualTo(events.opened.get());
            assertThat(pool.stats().connectionsClosed()).isEqualTo(pool.stats().connectionsCreated());
        }
    }

    @Test
    void maxWaitingIsNeverExceededByBorrowersArrivingTogether() throws Exception {
        StubDatabase db = new StubDatabase();
        int threads = 48;
        int maxWaiting = 2;
        try (EtlPool pool = TestPools.stub(db).maxSize(1).maxWaiting(maxWaiting)
                .connectionTimeout(Duration.ofMillis(150)).build()) {
            Connection held = pool.getConnection();
            for (int round = 0; round < 8; round++) {
                AtomicInteger refused = new AtomicInteger();
                AtomicInteger timedOut = new AtomicInteger();
                CyclicBarrier go = new CyclicBarrier(threads);
                List<Thread> all = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Thread th = new Thread(() -> {
                        try {
                            go.await();
                            pool.getConnection().close();
                        } catch (PoolTimeoutException e) {
                            (e.reason() == PoolTimeoutException.Reason.TOO_MANY_WAITING ? refused : timedOut)
                                    .incrementAndGet();
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    });
                    th.start();
                    all.add(th);
                }
                for (Thread th : all) {
                    th.join(10_000);
                }
                assertThat(timedOut.get()).as("borrowers that waited (maxWaiting " + maxWaiting + ", round " + round + ")")
                        .isLessThanOrEqualTo(maxWaiting);
                assertThat(refused.get() + timedOut.get()).isEqualTo(threads);
            }
            held.close();
        }
    }

    @Test
    void aHungDriverCloseCannotPileUpConnections() throws Exception {
        StubDatabase db = new StubDatabase();
        int maxSize = 2;
        try (EtlPool pool = TestPools.stub(db).minSize(0).maxSize(maxSize).closeGracePeriod(Duration.ofSeconds(5))
                .build()) {
            Gate close = db.block(Call.CLOSE);
            CompletableFuture<Void> churn = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 200; i++) {
                    try {
                        Connection c = pool.getConnection();
                        pool.evict(c);
                    } catch (SQLException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            assertThat(close.awaitEntered(Duration.ofSeconds(5))).isTrue();
            Thread.sleep(500); // an unbounded closer queue lets the churn open a connection per eviction meanwhile
            // the closer's queue holds at most max(16, maxSize); then the discarding thread closes (and waits) itself
            assertThat(db.connectAttempts()).as("connections opened while the driver's close hangs")
                    .isLessThanOrEqualTo(16 + maxSize + 3);
            close.open();
            churn.get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Demand is level-triggered: a borrower that arrives just as a dropped request gives back its slot
     * still gets a connection opened for it. Borrowers come and go on a pool kept below maxSize by
     * evictions; whenever one waits with no connection open or being opened for it (total + pending
     * below maxSize) for long, a request was lost.
     */
    @Test
    void noBorrowerWaitsBelowMaxSizeWithNothingBeingOpened() throws Exception {
        StubDatabase db = new StubDatabase();
        int maxSize = 3;
        try (EtlPool pool = TestPools.stub(db).minSize(0).maxSize(maxSize).connectionTimeout(Duration.ofSeconds(5))
                .build()) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            AtomicLong worstStallMs = new AtomicLong();
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int t = 0; t < 5; t++) {
                workers.add(CompletableFuture.runAsync(() -> {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    while (System.nanoTime() < end) {
                        try {
                            Connection c = pool.getConnection();
                            if (r.nextInt(4) == 0) {
                                Thread.sleep(r.nextInt(30)); // a long task now and then holds its connection
                            }
                            if (r.nextBoolean()) {
                                pool.evict(c);
                            } else {
                                c.close();
                            }
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                }));
            }
            long stallSince = 0;
            while (System.nanoTime() < end) {
                PoolStats s = pool.stats();
                boolean stalled = s.waiting() > 0 && s.total() + s.pending() < maxSize;
                long now = System.nanoTime();
                if (!stalled) {
                    stallSince = 0;
                } else if (stallSince == 0) {
                    stallSince = now;
                } else {
                    worstStallMs.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(now - stallSince), Math::max);
                }
                Thread.sleep(0, 200_000);
            }
            for (CompletableFuture<Void> w : workers) {
                w.get(30, TimeUnit.SECONDS);
            }
            assertThat(worstStallMs.get()).as("longest wait below maxSize with nothing being opened (ms)")
                    .isLessThan(20);
        }
    }
}
