package io.etlpool.etl;

import io.etlpool.PoolStats;

/**
 * A snapshot taken when a chunk commits: this partition's counts and the job's totals so far.
 *
 * @param job              the job's name
 * @param partition        the partition that committed
 * @param partitionRowsRead rows this partition has read (in this run)
 * @param partitionRowsWritten rows this partition has written (in this run)
 * @param partitionDone    the partition has finished
 * @param rowsRead         rows read by the whole job so far (in this run)
 * @param rowsWritten      rows written by the whole job so far (in this run)
 * @param partitionsDone   partitions finished, including those finished by an earlier run
 * @param partitions       partitions in all
 * @param rowsPerSecond    rows written per second since the job started
 * @param sourcePool       the source pool's statistics now
 * @param targetPool       the target pool's statistics now
 * @param streams          partitions allowed to stream at once now: the parallelism, or the adaptive level
 */
public record ProgressEvent(String job, int partition, long partitionRowsRead, long partitionRowsWritten,
                            boolean partitionDone, long rowsRead, long rowsWritten, int partitionsDone,
                            int partitions, double rowsPerSecond, PoolStats sourcePool, PoolStats targetPool,
                            int streams) {
}
