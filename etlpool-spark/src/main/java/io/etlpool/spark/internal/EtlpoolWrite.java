package io.etlpool.spark.internal;

import io.etlpool.spark.ExecutorPools;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A write of a DataFrame into a PostgreSQL table: prepared once in the driver ({@link WritePlan}) when Spark
 * asks for the writer factory, before any task starts, then one {@link PartitionWriter} per task. Spark's
 * commit coordinator is not used: the checkpoint row of each partition already decides, in the database,
 * which attempt's rows land, also across a re-run of the whole job.
 */
final class EtlpoolWrite implements Write, BatchWrite {

    private static final Logger LOG = LoggerFactory.getLogger(EtlpoolWrite.class);

    private final WriteSpec spec;
    private final StructType schema;

    EtlpoolWrite(WriteSpec spec, StructType schema) {
        this.spec = spec;
        this.schema = schema;
    }

    @Override
    public String description() {
        return "etlpool " + spec.mode + " into " + spec.writtenTable + " (job " + spec.job + ")";
    }

    @Override
    public BatchWrite toBatch() {
        return this;
    }

    @Override
    public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo info) {
        try {
            WritePlan.prepare(spec, schema, info.numPartitions());
        } catch (SQLException e) {
            throw new IllegalStateException("format(\"etlpool\"): preparing the write into " + spec.writtenTable
                    + " failed: " + e.getMessage(), e);
        }
        if (!spec.namedJob) {
            LOG.info("etlpool: writing {} partitions into {} as job {}; without option jobId a re-run of the whole"
                    + " job writes its rows again", spec.partitions, spec.table, spec.job);
        }
        return new Factory(spec);
    }

    @Override
    public boolean useCommitCoordinator() {
        return false;
    }

    @Override
    public void commit(WriterCommitMessage[] messages) {
        long rows = 0;
        int before = 0;
        for (WriterCommitMessage m : messages) {
            if (m instanceof PartitionCommit p) {
                if (p.alreadyWritten()) {
                    before++;
                } else {
                    rows += p.rows();
                }
            }
        }
        LOG.info("etlpool: job {} wrote {} rows into {}{}", spec.job, rows, spec.table,
                before > 0 ? "; " + before + " of " + messages.length + " partitions were written by an earlier run" : "");
        if (!spec.namedJob) {
            try (ExecutorPools.Lease lease = ExecutorPools.shared().borrow(spec.budget.driverPool());
                 Connection c = lease.pool().getConnection()) {
                Checkpoints.forget(c, spec);
            } catch (SQLException e) {
                LOG.warn("etlpool: job {} committed, but its checkpoint rows in {} could not be removed: {}",
                        spec.job, spec.checkpointTable, e.getMessage());
            }
        }
    }

    @Override
    public void abort(WriterCommitMessage[] messages) {
        LOG.warn("etlpool: job {} into {} failed; the partitions it committed stay written. Run it again with"
                + " .option(\"jobId\", \"{}\") to write the other partitions exactly once", spec.job, spec.table, spec.job);
    }

    /** Sent to the executors: makes one writer per task. */
    private static final class Factory implements DataWriterFactory {
        private static final long serialVersionUID = 1L;
        private final WriteSpec spec;

        Factory(WriteSpec spec) {
            this.spec = spec;
        }

        @Override
        public DataWriter<InternalRow> createWriter(int partitionId, long taskId) {
            return new PartitionWriter(spec, partitionId);
        }
    }
}
