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
 */
public record JobStatus(String job, List<Checkpoint> partitions, List<String> changes, String leaseHolder) {

    /** The stored plan matches this job (or there is none). */
    public boolean matches() {
        return changes.isEmpty();
    }

    /** Every partition is done. */
    public boolean finished() {
        return !partitions.isEmpty() && partitions.stream().allMatch(Checkpoint::done);
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
