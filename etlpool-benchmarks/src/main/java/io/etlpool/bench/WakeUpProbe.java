package io.etlpool.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How long a woken virtual thread waits for a carrier, whatever the pool: a platform thread unparks a
 * parked virtual probe thread every {@value #EVERY_MS} ms and the probe records the time until it runs.
 * Every woken waiter of a pool pays this wait; a pool's own hand-off figures count only the wake-ups it
 * makes, and for a pool that lets the returner take its connection back, only those the woken thread won.
 */
final class WakeUpProbe implements AutoCloseable {

    private static final long EVERY_MS = 2;

    private final Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
    private final ExecutorService virtual = VirtualThreads.perTaskExecutor();
    private final Thread ticker;
    private volatile Thread probe;
    /** When the probe was unparked, 0 once it has run. */
    private volatile long unparkedAt;
    private volatile boolean stop;

    WakeUpProbe() {
        virtual.execute(() -> {
            probe = Thread.currentThread();
            while (!stop) {
                LockSupport.park(this);
                long at = unparkedAt;
                if (at != 0) {
                    latency.recordValue(Math.max(0, System.nanoTime() - at));
                    unparkedAt = 0;
                }
            }
        });
        ticker = new Thread(() -> {
            while (!stop) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(EVERY_MS));
                Thread p = probe;
                if (p != null && unparkedAt == 0) {
                    unparkedAt = System.nanoTime();
                    LockSupport.unpark(p);
                }
            }
        }, "wake-up-probe-ticker");
        ticker.setDaemon(true);
        ticker.start();
    }

    /** The wake-up latency in ms at this percentile, so far. */
    double percentileMs(double p) {
        return latency.getValueAtPercentile(p) / 1e6;
    }

    double maxMs() {
        return latency.getMaxValue() / 1e6;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        ticker.join();
        Thread p = probe;
        if (p != null) {
            LockSupport.unpark(p);
        }
        virtual.shutdown();
        virtual.awaitTermination(10, TimeUnit.SECONDS);
    }
}
