package io.etlpool.spark.internal;

import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.SupportsTruncate;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;

/** Spark's SaveMode.Overwrite arrives as {@link #truncate()}; the options are checked in {@link #build()}. */
final class EtlpoolWriteBuilder implements WriteBuilder, SupportsTruncate {

    private final Options options;
    private final Budget budget;
    private final LogicalWriteInfo info;
    private boolean truncate;

    EtlpoolWriteBuilder(Options options, Budget budget, LogicalWriteInfo info) {
        this.options = options;
        this.budget = budget;
        this.info = info;
    }

    @Override
    public WriteBuilder truncate() {
        truncate = true;
        return this;
    }

    @Override
    public Write build() {
        WriteSpec spec = WriteSpec.of(options, budget, info.schema(), truncate, info.queryId());
        return new EtlpoolWrite(spec, info.schema());
    }
}
