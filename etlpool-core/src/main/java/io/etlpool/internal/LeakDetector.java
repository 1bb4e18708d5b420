package io.etlpool.internal;

/**
 * Finds connections held with no database activity for longer than the threshold. Activity is an
 * execution or fetch through the pooled connection, or the borrower's thread being inside the driver
 * right now (a long COPY through {@code unwrap(PGConnection.class)} or a long query shows as that).
 */
final class LeakDetector {

    private final Pool pool;
    private final long thresholdNanos;

    LeakDetector(Pool pool, long thresholdNanos) {
        this.pool = pool;
        this.thresholdNanos = thresholdNanos;
    }

    void scan() {
        if (thresholdNanos <= 0) {
            return;
        }
        long now = System.nanoTime();
        for (PoolEntry e : pool.bag().snapshot()) {
            Thread borrower = e.borrower; // read first: written last by the borrower (see PoolEntry)
            if (borrower == null || e.state() != PoolEntry.IN_USE || e.leakReported) {
                continue;
            }
            int activity = e.activity;
            if (activity != e.activitySeen) {
                e.activitySeen = activity;
                e.activitySeenNanos = now;
                continue;
            }
            if (now - e.activitySeenNanos <= thresholdNanos) {
                continue;
            }
            if (insideDriver(borrower, e.raw.getClass().getName())) {
                e.activitySeenNanos = now;
                continue;
            }
            pool.leakSuspected(e, now - e.borrowedNanos);
        }
    }

    /** Whether the thread is running the driver's code now: the connection is busy, not forgotten. */
    static boolean insideDriver(Thread thread, String driverClass) {
        String prefix = packagePrefix(driverClass);
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The driver's top two package levels, e.g. {@code org.postgresql.} */
    static String packagePrefix(String className) {
        int first = className.indexOf('.');
        int second = first < 0 ? -1 : className.indexOf('.', first + 1);
        return second < 0 ? className : className.substring(0, second + 1);
    }
}
