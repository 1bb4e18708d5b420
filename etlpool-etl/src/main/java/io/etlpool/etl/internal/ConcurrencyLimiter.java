package io.etlpool.etl.internal;

/**
 * How many partitions stream at once, adapted to throughput (a hill climb with additive steps): start low,
 * add a stream while the rows per second of the last window rise by more than {@link #GAIN}, go back one
 * when a step bought nothing, and step down when throughput falls by more than {@link #DROP} below what
 * the current level gave. A start above one that cannot climb tries one stream less once, and keeps it
 * when it gives nearly as much (within {@link #GAIN}): the same rows with fewer streams. After a step back it holds for {@link #HOLD} windows before it probes again,
 * so a level that is best stays (a loaded machine's noise is in those margins). Bounded by {@code max}
 * (the pool's connections, the partitions left). A pure state machine: it is fed samples and answers
 * levels, so it is tested without timing.
 */
final class ConcurrencyLimiter {

    /** A step up must raise throughput by this share to count. */
    static final double GAIN = 0.10;
    /** Throughput this far below the level's own reference means the level is too high now. */
    static final double DROP = 0.25;
    /** Windows to stay on a level after stepping back before probing above it again. */
    static final int HOLD = 4;

    private final int min;
    private int max;
    private int limit;
    /** Throughput at the level before the last step up; negative before the first sample. */
    private double below = -1;
    /** Throughput the current level gave when it was reached (its reference). */
    private double reference = -1;
    private boolean probing;
    private boolean probingDown;
    /** The start level was never compared with the one below it. */
    private boolean belowUntested;
    /** Throughput of the level above, while probing down. */
    private double above;
    private int hold;

    ConcurrencyLimiter(int start, int max) {
        this.min = 1;
        this.max = Math.max(1, max);
        this.limit = Math.max(min, Math.min(start, this.max));
        this.belowUntested = limit > min;
    }

    int limit() {
        return limit;
    }

    /** Lowers (or raises) the bound, e.g. as partitions run out; the level follows a lower bound at once. */
    void bound(int max) {
        this.max = Math.max(min, max);
        if (limit > this.max) {
            limit = this.max;
            reference = -1; // fewer streams give less: measure the new level afresh, do not read it as a fall
            probing = false;
            probingDown = false;
            hold = 0;
        }
    }

    /** One window's throughput (rows per second at the current level); returns the level for the next window. */
    int sample(double rowsPerSecond) {
        if (reference < 0) {
            reference = rowsPerSecond;
            return probeUp();
        }
        if (probingDown) {
            probingDown = false;
            hold = HOLD;
            if (rowsPerSecond >= above * (1 - GAIN)) {
                reference = rowsPerSecond; // as much with one stream less: keep the cheaper level
                return limit;
            }
            limit++;
            reference = above;
            return limit;
        }
        if (probing) {
            probing = false;
            if (rowsPerSecond > below * (1 + GAIN)) {
                belowUntested = false;
                reference = rowsPerSecond; // the step paid: keep it and try the next
                return probeUp();
            }
            limit = Math.max(min, limit - 1); // bought nothing: back to the level below, and stay a while
            reference = below;
            hold = HOLD;
            if (belowUntested && limit > min) {
                belowUntested = false;
                above = reference;
                limit--;
                probingDown = true;
            }
            return limit;
        }
        if (rowsPerSecond < reference * (1 - DROP) && limit > min) {
            limit--; // falls: the server or the machine has less to give now
            reference = rowsPerSecond;
            hold = HOLD;
            return limit;
        }
        reference = reference * 0.5 + rowsPerSecond * 0.5; // follows slow drifts, not one window's noise
        if (hold > 0) {
            hold--;
            return limit;
        }
        return probeUp();
    }

    private int probeUp() {
        if (limit >= max) {
            return limit;
        }
        below = reference;
        limit++;
        probing = true;
        return limit;
    }
}
