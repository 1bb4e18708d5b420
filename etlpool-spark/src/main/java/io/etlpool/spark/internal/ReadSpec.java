package io.etlpool.spark.internal;

import io.etlpool.spark.ExecutorPools;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One read: the source query (the {@code query} option, or all of {@code table}), the columns Spark sees
 * with the PostgreSQL type each comes from, and how it is split. Described in the driver with one
 * {@code LIMIT 0} run of the query, before any task starts.
 */
final class ReadSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    final Budget budget;
    final String query;
    final StructType schema;
    final String[] pgTypes;
    final String partitionColumn; // real name, or null for one partition
    final int partitions;
    final int fetchSize;

    private ReadSpec(Budget budget, String query, StructType schema, String[] pgTypes, String partitionColumn,
                     int partitions, int fetchSize) {
        this.budget = budget;
        this.query = query;
        this.schema = schema;
        this.pgTypes = pgTypes;
        this.partitionColumn = partitionColumn;
        this.partitions = partitions;
        this.fetchSize = fetchSize;
    }

    static ReadSpec of(Options o, Budget budget) {
        o.onlyFor("read", List.of("mode", "key", "method", "batchSize", "jobId", "checkpointTable"));
        String query = o.get("query");
        String table = o.get("table");
        if ((query == null) == (table == null)) {
            throw new IllegalArgumentException("format(\"etlpool\"): a read needs option 'query' (a SELECT) or option"
                    + " 'table', " + (query == null ? "and has neither" : "not both"));
        }
        int fetchSize = o.positiveInt("fetchSize", 10_000, 1);
        String written = o.get("partitionColumn");
        int partitions = o.positiveInt("partitions", written == null ? 1 : budget.budget, 1);
        if (written == null && o.has("partitions") && partitions > 1) {
            throw new IllegalArgumentException("format(\"etlpool\"): option 'partitions' needs option 'partitionColumn',"
                    + " the column whose values split the rows");
        }
        try (ExecutorPools.Lease lease = ExecutorPools.shared().borrow(budget.driverPool());
             Connection c = lease.pool().getConnection()) {
            String sql = query != null ? query : "SELECT * FROM " + Names.relation(c, table, "table");
            List<StructField> fields = new ArrayList<>();
            List<String> types = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM (" + sql + ") src LIMIT 0")) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    String type = md.getColumnTypeName(i);
                    types.add(type);
                    fields.add(DataTypes.createStructField(md.getColumnLabel(i),
                            sparkType(type, md.getPrecision(i), md.getScale(i)), true));
                }
            }
            StructType schema = DataTypes.createStructType(fields);
            String key = null;
            if (written != null) {
                int at = Names.column(schema.fieldNames(), written);
                if (at < 0) {
                    throw new IllegalArgumentException("format(\"etlpool\"): partitionColumn '" + written + "' is not a"
                            + " column of the query (" + String.join(", ", schema.fieldNames()) + ")");
                }
                key = schema.fieldNames()[at];
            }
            return new ReadSpec(budget, sql, schema, types.toArray(new String[0]), key, partitions, fetchSize);
        } catch (SQLException e) {
            throw new IllegalStateException("format(\"etlpool\"): describing the source failed: " + e.getMessage(), e);
        }
    }

    /** The Spark type a PostgreSQL column is read as; anything without an exact match is its text form. */
    static DataType sparkType(String pgType, int precision, int scale) {
        switch (pgType) {
            case "int2", "smallserial":
                return DataTypes.ShortType;
            case "int4", "serial":
                return DataTypes.IntegerType;
            case "int8", "bigserial", "oid":
                return DataTypes.LongType;
            case "float4":
                return DataTypes.FloatType;
            case "float8":
                return DataTypes.DoubleType;
            case "bool":
                return DataTypes.BooleanType;
            case "numeric":
                // numeric without a precision holds any value: read into decimal(38,18), refusing what does not fit
                return precision > 0 && precision <= 38 && scale >= 0 && scale <= precision
                        ? DataTypes.createDecimalType(precision, scale) : DataTypes.createDecimalType(38, 18);
            case "date":
                return DataTypes.DateType;
            case "timestamp":
                return DataTypes.TimestampNTZType;
            case "timestamptz":
                return DataTypes.TimestampType;
            case "bytea":
                return DataTypes.BinaryType;
            default:
                return DataTypes.StringType;
        }
    }
}
