package io.etlpool.cli;

import io.etlpool.PoolListener;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Borrow waits in power-of-two microsecond buckets, lock-free, for the summary's p50 and p99. A
 * percentile is reported as its bucket's upper bound, so it errs high by less than a factor of two.
 */
final class WaitHistogram implements PoolListener {

    private static final int BUCKETS = 40;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    @Override
    public void connectionBorrowed(Duration waited) {
        long micros = Math.max(1, waited.toNanos() / 1_000);
        int bucket = Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(micros) - 1);
        counts.incrementAndGet(bucket);
    }

    /** The wait at or below which {@code fraction} of borrows fell; zero when none were recorded. */
    Duration percentile(double fraction) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        if (total == 0) {
            return Duration.ZERO;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Duration.ofNanos((1L << (i + 1)) * 1_000);
            }
        }
        return Duration.ofNanos((1L << BUCKETS) * 1_000);
    }

    static String format(Duration d) {
        long micros = d.toNanos() / 1_000;
        return micros < 1_000 ? "<" + micros + " µs" : "<" + (micros / 1_000) + " ms";
    }
}
