package io.etlpool.spark.internal;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;

import java.sql.SQLException;

/** The read: its schema, its key ranges (planned in the driver) and one streaming reader per range. */
final class EtlpoolScan implements ScanBuilder, Scan, Batch {

    private final ReadSpec spec;

    EtlpoolScan(ReadSpec spec) {
        this.spec = spec;
    }

    @Override
    public Scan build() {
        return this;
    }

    @Override
    public StructType readSchema() {
        return spec.schema;
    }

    @Override
    public String description() {
        return "etlpool read" + (spec.partitionColumn != null ? " in " + spec.partitions + " ranges of "
                + spec.partitionColumn : "");
    }

    @Override
    public Batch toBatch() {
        return this;
    }

    @Override
    public InputPartition[] planInputPartitions() {
        return KeyRanges.plan(spec);
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        return new Factory(spec);
    }

    /** Sent to the executors: one reader per range. */
    private static final class Factory implements PartitionReaderFactory {
        private static final long serialVersionUID = 1L;
        private final ReadSpec spec;

        Factory(ReadSpec spec) {
            this.spec = spec;
        }

        @Override
        public PartitionReader<InternalRow> createReader(InputPartition partition) {
            try {
                return new RangeReader(spec, (KeyRanges.Range) partition);
            } catch (SQLException e) {
                throw new IllegalStateException("format(\"etlpool\"): starting the read of a range failed: "
                        + e.getMessage(), e);
            }
        }
    }
}
