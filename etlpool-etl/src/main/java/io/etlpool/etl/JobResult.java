package io.etlpool.etl;

import io.etlpool.PoolStats;
import io.etlpool.etl.internal.Json;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a run: totals, per-partition figures and both pools' statistics. {@link #toJson()}
 * gives a report for tools.
 *
 * @param job             the job's name
 * @param alreadyComplete an earlier run had finished the job: this run did nothing
 * @param rowsRead        source rows read and committed in this run (a chunk read again by a retry counts once)
 * @param rowsWritten     rows written in this run
 * @param rowsRejected    rows sent to the reject table in this run
 * @param rowsMerged      upsert rows not written because a later row of the same chunk had the same key
 *                        (duplicate keys in the source; the last one wins)
 * @param partitionsDoneBefore partitions an earlier run had finished (a resumed run skips them)
 * @param partitionCount  partitions of the job's plan
 * @param snapshot        which source snapshot the run read: one for all partitions, or why not
 * @param path            how rows moved: {@code binary relay}, or {@code rows (reason: ...)} saying why not;
 *                        partitions that took different paths are listed each, separated by "; "
 * @param error           why the run failed, or null when it succeeded
 * @param duration        how long the run took
 * @param partitions      per-partition figures
 * @param sourcePool      the source pool at the end
 * @param targetPool      the target pool at the end (the same as sourcePool when they share one pool)
 * @param increment       for an incremental job, the increment the run loaded: its number, its cursor interval
 *                        and what ended it (e.g. a transaction in progress); null for other jobs
 */
public record JobResult(String job, boolean alreadyComplete, long rowsRead, long rowsWritten, long rowsRejected,
                        long rowsMerged, int partitionsDoneBefore, int partitionCount, String snapshot, String path, String error,
                        Duration duration, List<PartitionResult> partitions, PoolStats sourcePool,
                        PoolStats targetPool, String increment) {

    /** A result of a job that is not incremental. */
    public JobResult(String job, boolean alreadyComplete, long rowsRead, long rowsWritten, long rowsRejected,
                     long rowsMerged, int partitionsDoneBefore, int partitionCount, String snapshot, String path,
                     String error, Duration duration, List<PartitionResult> partitions, PoolStats sourcePool,
                     PoolStats targetPool) {
        this(job, alreadyComplete, rowsRead, rowsWritten, rowsRejected, rowsMerged, partitionsDoneBefore, partitionCount,
                snapshot, path, error, duration, partitions, sourcePool, targetPool, null);
    }

    /** Rows written per second over the run. */
    public double rowsPerSecond() {
        double seconds = duration.toNanos() / 1e9;
        return seconds <= 0 ? 0 : rowsWritten / seconds;
    }

    /** Retries over all partitions. */
    public int retries() {
        return partitions.stream().mapToInt(PartitionResult::retries).sum();
    }

    /** The result as JSON (no row values, no credentials). */
    public String toJson() {
        StringBuilder b = new StringBuilder("{");
        b.append("\"job\":").append(Json.quote(job))
                .append(",\"alreadyComplete\":").append(alreadyComplete)
                .append(",\"rowsRead\":").append(rowsRead)
                .append(",\"rowsWritten\":").append(rowsWritten)
                .append(",\"rowsRejected\":").append(rowsRejected)
                .append(",\"rowsMerged\":").append(rowsMerged)
                .append(",\"partitionsDoneBefore\":").append(partitionsDoneBefore)
                .append(",\"partitionCount\":").append(partitionCount)
                .append(",\"snapshot\":").append(Json.quote(snapshot))
                .append(",\"path\":").append(Json.quote(path))
                .append(",\"increment\":").append(increment == null ? "null" : Json.quote(increment))
                .append(",\"failed\":").append(error != null)
                .append(",\"error\":").append(error == null ? "null" : Json.quote(error))
                .append(",\"durationMs\":").append(duration.toMillis())
                .append(",\"rowsPerSecond\":").append(String.format(Locale.ROOT, "%.1f", rowsPerSecond()))
                .append(",\"retries\":").append(retries())
                .append(",\"partitions\":[");
        for (int i = 0; i < partitions.size(); i++) {
            PartitionResult p = partitions.get(i);
            b.append(i == 0 ? "" : ",").append("{\"partition\":").append(p.partition())
                    .append(",\"range\":").append(Json.quote(p.range()))
                    .append(",\"rowsRead\":").append(p.rowsRead())
                    .append(",\"rowsWritten\":").append(p.rowsWritten())
                    .append(",\"rowsRejected\":").append(p.rowsRejected())
                    .append(",\"retries\":").append(p.retries())
                    .append(",\"resumed\":").append(p.resumed()).append('}');
        }
        b.append("],\"sourcePool\":").append(pool(sourcePool)).append(",\"targetPool\":").append(pool(targetPool));
        return b.append('}').toString();
    }

    private static String pool(PoolStats s) {
        if (s == null) {
            return "null";
        }
        return "{\"name\":" + Json.quote(s.poolName()) + ",\"borrows\":" + s.borrows() + ",\"waitedBorrows\":"
                + s.waitedBorrows() + ",\"connectionsCreated\":" + s.connectionsCreated() + ",\"timeouts\":"
                + s.timeouts() + ",\"totalWaitMs\":" + s.totalWait().toMillis() + ",\"maxWaitMs\":"
                + s.maxWait().toMillis() + ",\"brokenDiscarded\":" + s.brokenDiscarded() + "}";
    }
}
