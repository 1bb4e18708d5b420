package io.etlpool.bench;

import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Threads that each run one task, released together: the spike of the macro suite and SpikeTrace. */
final class Burst {

    /** One thread's task; its number is 0 to threads - 1. */
    interface Task {
        void run(int thread) throws SQLException;
    }

    /** When the threads were released and when the last task ended (System.nanoTime()). */
    record Timing(long start, long end) {
        double millis() {
            return (end - start) / 1e6;
        }
    }

    private Burst() {
    }

    /**
     * Starts the threads, lets them settle for {@code settleMillis} (0: none), releases them together and
     * waits until every task ended (at most 60 s). A failed task is reported on stderr.
     */
    static Timing run(int threads, long settleMillis, String label, Task task) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            int id = i;
            new Thread(() -> {
                try {
                    go.await();
                    task.run(id);
                } catch (SQLException e) {
                    System.err.println(label + ": " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            }).start();
        }
        if (settleMillis > 0) {
            Thread.sleep(settleMillis);
        }
        long start = System.nanoTime();
        go.countDown();
        done.await(60, TimeUnit.SECONDS);
        return new Timing(start, System.nanoTime());
    }
}
