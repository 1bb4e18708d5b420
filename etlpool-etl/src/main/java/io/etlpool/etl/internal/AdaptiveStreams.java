package io.etlpool.etl.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Adaptive parallelism: every {@link #WINDOW_MS} the rows written in the last window go to the
 * {@link ConcurrencyLimiter}, whose answer becomes the {@link StreamGate}'s limit; the bound follows the
 * partitions not yet finished.
 */
final class AdaptiveStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdaptiveStreams.class);
    /** A window long enough to hold many chunk commits per stream on a loaded machine. */
    static final long WINDOW_MS = 2_000;

    private final ScheduledExecutorService timer;

    private AdaptiveStreams(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static AdaptiveStreams start(String job, StreamGate gate, ConcurrencyLimiter limiter, LongSupplier rowsWritten,
                                 IntSupplier partitionsLeft) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "etl-" + job + "-streams");
            t.setDaemon(true);
            return t;
        });
        long[] last = {rowsWritten.getAsLong(), System.nanoTime()};
        timer.scheduleAtFixedRate(() -> {
            try {
                step(job, gate, limiter, rowsWritten, partitionsLeft, last);
            } catch (RuntimeException e) {
                LOG.warn("job {}: adapting the streams failed, the level stays at {}: {}", job, gate.limit(), e.toString());
            }
        }, WINDOW_MS, WINDOW_MS, TimeUnit.MILLISECONDS);
        return new AdaptiveStreams(timer);
    }

    private static void step(String job, StreamGate gate, ConcurrencyLimiter limiter, LongSupplier rowsWritten,
                             IntSupplier partitionsLeft, long[] last) {
        {
            long rows = rowsWritten.getAsLong();
            long now = System.nanoTime();
            double rate = (rows - last[0]) / ((now - last[1]) / 1e9);
            last[0] = rows;
            last[1] = now;
            int before = limiter.limit();
            limiter.bound(Math.max(1, partitionsLeft.getAsInt()));
            int level = limiter.sample(rate);
            gate.limit(level);
            if (level != before) {
                LOG.debug("job {}: {} rows/s at {} stream(s): now {}", job, Math.round(rate), before, level);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
