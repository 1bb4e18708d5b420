package io.etlpool.etl;

import java.time.Instant;
import java.util.List;

/**
 * A job as its target records it: its checkpoints, whether they were written for this job definition,
 * and who runs it now.
 *
 * @param job         the job's name
 * @param partitions  one entry per partition of the stored plan; empty when the job has no checkpoints
 * @param changes     what differs between this job and the one its checkpoints were written for (empty:
 *                    the same job, or no checkpoints); "written by an older etlpool" when they carry no
 *                    job definition
 * @param leaseHolder who holds the job's lease ("host h pid p since t"), or null when no run holds it
 * @param increment   an incremental job's watermark and last increment, or null (not incremental, or never run)
 */
public record JobStatus(String job, List<Checkpoint> partitions, List<String> changes, String leaseHolder,
                        Increment increment) {

    /** The status of a job that is not incremental. */
    public JobStatus(String job, List<Checkpoint> partitions, List<String> changes, String leaseHolder) {
        this(job, partitions, changes, leaseHolder, null);
    }

    /** The stored plan matches this job (or there is none). */
    public boolean matches() {
        return changes.isEmpty();
    }

    /** Every partition is done. */
    public boolean finished() {
        return !partitions.isEmpty() && partitions.stream().allMatch(Checkpoint::done);
    }

    /**
     * An incremental job's state, bounds in the cursor's text form.
     *
     * @param cursor     the cursor column
     * @param watermark  the end of the last completed increment (rows below it are loaded), or null before the first
     * @param number     the last increment's number (1 for the first)
     * @param readFrom   the first cursor value the last increment reads (null: from the first row)
     * @param readTo     the end (exclusive) of the last increment, or null when the source had no rows
     * @param done       the last increment is complete and its end is the watermark
     * @param startedAt  when the last increment was recorded (the target's clock)
     * @param finishedAt when it completed, or null
     * @param note       what ended the last increment (the source's clock, a transaction in progress, ...)
     */
    public record Increment(String cursor, String watermark, long number, String readFrom, String readTo,
                            boolean done, Instant startedAt, Instant finishedAt, String note) {
    }

    /**
     * One partition's checkpoint.
     *
     * @param partition its number
     * @param range     its key range, or "all rows"
     * @param lastKey   the last committed key (or null)
     * @param rowsDone  rows committed over all runs
     * @param done      finished
     * @param chunks    chunks committed over all runs
     * @param updatedAt when it last moved (as the target's clock says, or null)
     */
    public record Checkpoint(int partition, String range, String lastKey, long rowsDone, boolean done, long chunks,
                             Instant updatedAt) {
    }
}
