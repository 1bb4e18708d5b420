package io.etlpool.internal;

import java.util.concurrent.TimeUnit;

/**
 * Whether one more connection for waiting borrowers is worth opening, right after another one joined
 * to serve them. Every login costs the database a new backend process and both sides a password
 * exchange. In a burst, the connections already open (with the one just added) often serve every
 * waiter before another could be ready, and that login then only takes CPU from the work: on 2 cores,
 * a 50-thread spike opened 3 or 4 connections where 2 sufficed, and was slower for it.
 *
 * <p>So the opener looks at the queue in short steps (ConnectionOpener). It opens when the queue did
 * not shrink since the first look, when at the rate it shrank it would still be there once a connect
 * (at the mean connect time so far) finishes, and at the latest after one connect time of watching.
 * Once nobody waits, the request is dropped. A steady load, whose queue does not drain, gets each new
 * connection one step later; it is never starved.
 *
 * <p>One instance watches for one request, on the opener's thread.
 */
final class GrowthPacer {

    /** The longest step between two looks at the queue. */
    private static final long MAX_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final int first;
    private final long start;
    private final long connectNanos;

    /**
     * @param waiting      borrowers waiting now
     * @param now          System.nanoTime() now
     * @param connectNanos how long a connect took on average (positive)
     */
    GrowthPacer(int waiting, long now, long connectNanos) {
        this.first = waiting;
        this.start = now;
        this.connectNanos = connectNanos;
    }

    /** How long to wait before the next look: a millisecond, or half a connect when that is shorter. */
    long stepNanos() {
        return Math.max(1, Math.min(MAX_STEP_NANOS, connectNanos / 2));
    }

    /** After another look at the queue: true to go on watching, false to open the connection now. */
    boolean keepWatching(int waiting, long now) {
        long elapsed = now - start;
        if (elapsed >= connectNanos || waiting >= first) {
            return false;
        }
        double drainNanos = (double) waiting * elapsed / (first - waiting);
        return drainNanos < connectNanos;
    }
}
