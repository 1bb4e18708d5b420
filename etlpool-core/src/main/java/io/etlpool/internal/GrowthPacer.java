package io.etlpool.internal;

import java.util.concurrent.TimeUnit;

/**
 * Whether a connection for waiting borrowers is worth opening while the connections already open
 * serve them. Every login costs the database a new backend process and both sides a password
 * exchange. A burst of short tasks is often served by the connections there before another one could
 * be ready, or soon after: that login then only takes CPU from the work. On 2 cores a 50-thread spike
 * of one-query tasks was served in about 8-10 ms by one connection and in 12-13 ms when the pool (or
 * HikariCP) opened a second one meanwhile (docs/BENCHMARKS.md, "The spike, traced").
 *
 * <p>So the opener looks at the queue in short steps (ConnectionOpener) and opens:
 * <ul>
 *   <li>when nobody was served for a while (the connections are held by long tasks);</li>
 *   <li>when the queue still grows after one connect time of watching (borrowers come faster than
 *       the connections there serve them);</li>
 *   <li>when the queue stayed at its peak for a while (the load keeps up with the connections there,
 *       as a steady load does);</li>
 *   <li>when, at the rate it shrank since its peak, the queue would last at least two connect times
 *       (the new connection would then work at least as long as its login took);</li>
 *   <li>at the latest after four connect times of watching.</li>
 * </ul>
 * "A while" is half a connect time, and at least two steps: borrowers of a burst arrive over several
 * milliseconds, and a single quiet step is often a stalled thread rather than a long task. Once nobody
 * waits, the request is dropped. The cost, under a load that does need the connection: it comes about
 * half a connect time later.
 *
 * <p>One instance watches for one request, on an opener thread. Times are System.nanoTime().
 */
final class GrowthPacer {

    /** The longest step between two looks at the queue. */
    private static final long MAX_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final long start;
    private final long connectNanos;
    private long served;
    private long lastServedAt;
    private int peak;
    private long peakAt;

    /**
     * @param waiting      borrowers waiting now
     * @param served       waiting borrowers served so far (a running count)
     * @param now          System.nanoTime() now
     * @param connectNanos how long a connect took on average (positive)
     */
    GrowthPacer(int waiting, long served, long now, long connectNanos) {
        this.start = now;
        this.connectNanos = connectNanos;
        this.served = served;
        this.lastServedAt = now;
        this.peak = waiting;
        this.peakAt = now;
    }

    /** A pacer that goes on from what this one saw (the same burst), with the latest connect time. */
    GrowthPacer continued(long connectNanos) {
        GrowthPacer next = new GrowthPacer(peak, served, start, connectNanos);
        next.lastServedAt = lastServedAt;
        next.peakAt = peakAt;
        return next;
    }

    /** How long to wait before the next look: a millisecond, or half a connect when that is shorter. */
    long stepNanos() {
        return Math.max(1, Math.min(MAX_STEP_NANOS, connectNanos / 2));
    }

    /** How long a sign must last before the opener acts on it: half a connect, and at least two steps. */
    private long patienceNanos() {
        return Math.max(2 * stepNanos(), connectNanos / 2);
    }

    /** After another look at the queue: true to go on watching, false to open the connection now. */
    boolean keepWatching(int waiting, long servedNow, long now) {
        if (servedNow != served) {
            served = servedNow;
            lastServedAt = now;
        }
        long watched = now - start;
        if (now - lastServedAt >= patienceNanos() || watched >= 4 * connectNanos) {
            return false;
        }
        if (waiting > peak) { // borrowers are still arriving: the peak is not known yet
            peak = waiting;
            peakAt = now;
            return watched < connectNanos;
        }
        long sincePeak = now - peakAt;
        if (sincePeak < patienceNanos()) {
            return true;
        }
        if (waiting == peak) {
            return false;
        }
        double drainNanos = (double) waiting * sincePeak / (peak - waiting);
        return drainNanos < 2.0 * connectNanos;
    }
}
