package io.etlpool.spark.internal;

import org.apache.spark.sql.connector.write.WriterCommitMessage;

/** What a partition's task reports to the driver: how many rows, and whether an earlier attempt wrote them. */
record PartitionCommit(int partition, long rows, boolean alreadyWritten) implements WriterCommitMessage {
    private static final long serialVersionUID = 1L;
}
