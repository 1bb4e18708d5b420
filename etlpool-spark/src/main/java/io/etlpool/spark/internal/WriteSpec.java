package io.etlpool.spark.internal;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * One write, as the options and the DataFrame's schema give it (checked in the driver when the write is
 * planned), and, once {@link WritePlan#prepare} has looked at the database, with the target's real table and
 * column names and the partition count. It travels to the executors inside each task.
 */
final class WriteSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    static final String APPEND = "append";
    static final String OVERWRITE = "overwrite";
    static final String UPSERT = "upsert";
    static final String COPY = "copy";
    static final String BATCH = "batch";
    static final String DEFAULT_CHECKPOINT_TABLE = "etlpool_spark_checkpoint";

    final Budget budget;
    final String writtenTable;
    final String mode;
    final String method;
    final int batchSize;
    final String job;
    final boolean namedJob;
    final String writtenCheckpointTable;
    final String[] sparkColumns;
    final DataType[] types;
    final List<String> writtenKey;

    // filled by WritePlan.prepare, in the driver, before any task
    String table;
    String checkpointTable;
    String[] columns;
    String[] key;
    int partitions;

    private WriteSpec(Budget budget, String writtenTable, String mode, String method, int batchSize, String job,
                      boolean namedJob, String writtenCheckpointTable, StructType schema, List<String> writtenKey) {
        this.budget = budget;
        this.writtenTable = writtenTable;
        this.mode = mode;
        this.method = method;
        this.batchSize = batchSize;
        this.job = job;
        this.namedJob = namedJob;
        this.writtenCheckpointTable = writtenCheckpointTable;
        StructField[] fields = schema.fields();
        this.sparkColumns = new String[fields.length];
        this.types = new DataType[fields.length];
        for (int i = 0; i < fields.length; i++) {
            sparkColumns[i] = fields[i].name();
            types[i] = fields[i].dataType();
            ValueText.of(fields[i].name(), fields[i].dataType()); // refuses a type without a text form, now
        }
        this.writtenKey = writtenKey;
    }

    /**
     * Reads and checks the write's options against the DataFrame's schema. {@code truncate} is Spark's
     * SaveMode.Overwrite; {@code queryId} names the job when no {@code jobId} is given.
     */
    static WriteSpec of(Options o, Budget budget, StructType schema, boolean truncate, String queryId) {
        o.onlyFor("write", Options.READ);
        String table = o.required("table", "public.orders");
        String mode = o.choice("mode", truncate ? OVERWRITE : APPEND, Set.of(APPEND, OVERWRITE, UPSERT));
        if (truncate && !mode.equals(OVERWRITE)) {
            throw new IllegalArgumentException("format(\"etlpool\"): SaveMode.Overwrite empties the table, option mode '"
                    + mode + "' does not: use .mode(\"append\") with .option(\"mode\", \"" + mode + "\"), or drop the option");
        }
        List<String> key = o.list("key");
        if (mode.equals(UPSERT) && key.isEmpty()) {
            throw new IllegalArgumentException("format(\"etlpool\"): mode upsert needs option 'key', the column(s) of the"
                    + " target's primary key or unique index that match rows, e.g. .option(\"key\", \"id\")");
        }
        if (!mode.equals(UPSERT) && !key.isEmpty()) {
            throw new IllegalArgumentException("format(\"etlpool\"): option 'key' is only for mode upsert (mode is " + mode + ")");
        }
        for (String k : key) {
            if (Names.column(schema.fieldNames(), k) < 0) {
                throw new IllegalArgumentException("format(\"etlpool\"): key column '" + k + "' is not a column of the"
                        + " DataFrame (" + String.join(", ", schema.fieldNames()) + ")");
            }
        }
        if (schema.fields().length == 0) {
            throw new IllegalArgumentException("format(\"etlpool\"): the DataFrame has no columns to write");
        }
        String method = o.choice("method", COPY, Set.of(COPY, BATCH));
        int batchSize = o.positiveInt("batchSize", 10_000, 1);
        String jobId = o.get("jobId");
        String checkpoints = o.get("checkpointTable");
        if (checkpoints == null) {
            checkpoints = DEFAULT_CHECKPOINT_TABLE;
        } else if (!checkpoints.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            throw new IllegalArgumentException("format(\"etlpool\"): option 'checkpointTable' must be a plain name or"
                    + " schema.name of letters, digits and underscores, not '" + checkpoints + "'");
        }
        return new WriteSpec(budget, table, mode, method, batchSize, jobId != null ? jobId : "spark-" + queryId,
                jobId != null, checkpoints, schema, key);
    }

    /** The quoted target columns, comma-separated. */
    String columnList() {
        return Names.quoted(columns);
    }
}
