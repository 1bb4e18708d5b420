package io.etlpool.etl;

/**
 * What one partition did in this run.
 *
 * @param partition  its number, from 0
 * @param range      its key range as text ("[1, 50001)"), or "all rows" without a partition column
 * @param rowsRead   rows read in this run
 * @param rowsWritten rows written in this run
 * @param rowsRejected rows that went to the reject table
 * @param retries    times it started again on a fresh connection after a transient failure
 * @param resumed    it continued from a checkpoint of an earlier run
 */
public record PartitionResult(int partition, String range, long rowsRead, long rowsWritten, long rowsRejected,
                              int retries, boolean resumed) {
}
