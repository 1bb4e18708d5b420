package io.etlpool.spark;

import io.etlpool.spark.internal.EtlpoolTable;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

import java.util.Map;

/**
 * {@code format("etlpool")}: PostgreSQL through one etlpool pool per executor under a connection budget for
 * the whole application. Writes load each Spark partition by COPY in one transaction with its checkpoint,
 * exactly once across task retries, speculative duplicates and re-runs of the job (with {@code jobId});
 * reads stream key ranges cut at the partition column's quantiles. The options are in docs/SPARK.md.
 */
public final class EtlpoolDataSource implements TableProvider, DataSourceRegister {

    /** Spark creates it by its class or short name. */
    public EtlpoolDataSource() {
    }

    @Override
    public String shortName() {
        return "etlpool";
    }

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        return EtlpoolTable.inferSchema(options);
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        return new EtlpoolTable(schema, properties);
    }

    /** A write passes the DataFrame's schema, so that nothing is inferred from the target for it. */
    @Override
    public boolean supportsExternalMetadata() {
        return true;
    }
}
