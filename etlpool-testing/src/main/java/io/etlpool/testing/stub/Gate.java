package io.etlpool.testing.stub;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Holds the calls of a {@link StubDatabase#block blocked} kind until the test opens it. */
public final class Gate {

    private final CountDownLatch open = new CountDownLatch(1);
    private final AtomicInteger entered = new AtomicInteger();
    private final CountDownLatch first = new CountDownLatch(1);

    Gate() {
    }

    /** Lets every held call and every later one through. */
    public void open() {
        open.countDown();
    }

    /** How many calls reached the gate so far. */
    public int entered() {
        return entered.get();
    }

    /** Waits until a call reaches the gate; false if none did within the timeout. */
    public boolean awaitEntered(Duration timeout) throws InterruptedException {
        return first.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Blocks the calling driver call, uninterruptibly, until open or past the network timeout. */
    void pass(int networkTimeoutMs) throws SQLException {
        entered.incrementAndGet();
        first.countDown();
        long deadline = networkTimeoutMs > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(networkTimeoutMs) : 0;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (deadline == 0) {
                        open.await();
                        return;
                    }
                    long left = deadline - System.nanoTime();
                    if (open.await(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                    throw new SQLTransientConnectionException("stub: no answer within the network timeout ("
                            + networkTimeoutMs + " ms)", "08006");
                } catch (InterruptedException e) {
                    interrupted = true; // a driver blocked on a socket does not notice interrupts
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
