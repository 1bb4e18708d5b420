package io.etlpool.spark.internal;

import org.apache.spark.SparkEnv;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

import java.util.Map;
import java.util.Set;

/**
 * A PostgreSQL table or query as Spark sees it. For a write its schema is the DataFrame's (the target is
 * looked at when the write is prepared); for a read, the query's.
 */
public final class EtlpoolTable implements SupportsRead, SupportsWrite {

    private final StructType schema;
    private final Map<String, String> properties;

    public EtlpoolTable(StructType schema, Map<String, String> properties) {
        this.schema = schema;
        this.properties = properties;
        Options.of(properties); // an unknown option is refused before anything else
    }

    /** Reads the options and describes the source (in the driver, before any task). */
    static ReadSpec describe(Map<String, String> options) {
        Options o = Options.of(options);
        return ReadSpec.of(o, Budget.of(o, SparkEnv.get().conf()));
    }

    /** The schema of the source, for Spark's inferSchema. */
    public static StructType inferSchema(Map<String, String> options) {
        return describe(options).schema;
    }

    @Override
    public String name() {
        String table = properties.getOrDefault("table", null);
        return "etlpool:" + (table != null ? table : "query");
    }

    @Override
    @SuppressWarnings("deprecation")
    public StructType schema() {
        return schema;
    }

    @Override
    public Set<TableCapability> capabilities() {
        return Set.of(TableCapability.BATCH_READ, TableCapability.BATCH_WRITE, TableCapability.TRUNCATE);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
        ReadSpec spec = describe(options);
        if (!spec.schema.equals(schema)) {
            throw new IllegalArgumentException("format(\"etlpool\"): a schema was given (" + schema.simpleString()
                    + ") that is not the source's (" + spec.schema.simpleString() + "); leave out .schema(...)");
        }
        return new EtlpoolScan(spec);
    }

    @Override
    public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
        Options o = Options.of(info.options());
        return new EtlpoolWriteBuilder(o, Budget.of(o, SparkEnv.get().conf()), info);
    }
}
