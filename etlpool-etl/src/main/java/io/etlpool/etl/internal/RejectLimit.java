package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code maxRejects}: the job stops when more rows than a count, or than a share of the rows read, went to
 * the reject table in this run. The chunk that crosses the limit is rolled back, so the reject table holds
 * the rows of the chunks that committed. The share is judged once a chunk's worth of rows has been read
 * (or at the end), so that one bad row among the first few does not stop a job.
 */
final class RejectLimit {

    private final long maxCount;
    private final double maxPercent;
    private final int minRows;
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /** {@code maxCount} or {@code maxPercent} negative: no such limit. */
    RejectLimit(long maxCount, double maxPercent, int minRows) {
        this.maxCount = maxCount;
        this.maxPercent = maxPercent;
        this.minRows = minRows;
    }

    /** Called inside a chunk's transaction, before it commits; throws to stop the job. */
    void check(PartitionTask task, long chunkRead, long chunkRejected, boolean last) throws EtlException {
        if (maxCount < 0 && maxPercent < 0) {
            return;
        }
        long r = read.get() + chunkRead;
        long x = rejected.get() + chunkRejected;
        boolean overCount = maxCount >= 0 && x > maxCount;
        boolean overShare = maxPercent >= 0 && (r >= minRows || last) && r > 0 && x * 100.0 > maxPercent * r;
        if (overCount || overShare) {
            throw new EtlException(task.describe() + " stopped: " + x + " of " + r + " rows read in this run were "
                    + "rejected, over the limit maxRejects " + (overCount ? Long.toString(maxCount)
                    : String.format(Locale.ROOT, "%s%%", trim(maxPercent))) + ". The target refuses most rows: check "
                    + "the column mapping and the target's constraints (the reject table has the rows and errors of "
                    + "the chunks committed); the chunk that crossed the limit was rolled back", null);
        }
    }

    /** A chunk committed: its counts join the run's. */
    void committed(long chunkRead, long chunkRejected) {
        read.addAndGet(chunkRead);
        rejected.addAndGet(chunkRejected);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
