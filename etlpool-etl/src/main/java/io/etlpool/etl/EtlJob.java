package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.etl.internal.JobAdmin;
import io.etlpool.etl.internal.JobRunner;
import io.etlpool.etl.internal.Sql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A job that moves the rows of a source query into a target table, in parallel, through pooled
 * connections, exactly once.
 *
 * <pre>{@code
 * EtlJob job = EtlJob.builder("orders-to-warehouse")
 *         .source(shopPool, "SELECT id, customer_id, amount FROM orders")
 *         .partitionColumn("id").partitions(8)
 *         .target(warehousePool, "fact_orders").mode(LoadMode.UPSERT).key("id")
 *         .parallelism(4)
 *         .build();
 * JobResult result = job.run();
 * }</pre>
 *
 * Work is cut into chunks; a chunk's rows and its checkpoint commit in one transaction in the target
 * (table {@code etlpool_checkpoint}), fenced by the checkpoint's chunk sequence, so a job stopped at any
 * point and run again resumes where it stopped and no chunk lands twice. A lost connection,
 * serialization failure or deadlock restarts the partition from its last checkpoint on a fresh
 * connection. One run of a job holds its lease at a time; the stored plan carries the job's fingerprint,
 * so a changed job does not resume another's checkpoints. With a PostgreSQL source, all partitions of a
 * run read one snapshot: a run that completes copies the source as of its start.
 *
 * <p>Names (target and reject table, partition column, keys, mapped columns, checkpoint schema) are SQL
 * identifiers, read as PostgreSQL reads them: an unquoted name is folded to lower case, a double-quoted
 * one is kept as written, and a table may be schema-qualified: {@code sales."Order Items"}.
 */
public final class EtlJob {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final Pattern ORDER_BY = Pattern.compile("(?is).*\\border\\s+by\\b.*");

    final String name;
    final EtlPool sourcePool;
    final String query;
    final String partitionColumn;
    final int partitions;
    final int fetchSize;
    final Map<String, String> columns;
    final RowTransform transform;
    final EtlPool targetPool;
    final String table;
    final LoadMode mode;
    final List<String> key;
    final LoadMethod method;
    final boolean createTable;
    final String rejectTable;
    final String checkpointSchema;
    final int parallelism;
    final int chunkSize;
    final boolean chunkSizeSet;
    final int maxRetries;
    final Duration retryBackoff;
    final ProgressListener listener;
    final Duration waitForLease;
    final long maxRejects;
    final double maxRejectsPercent;
    final boolean binaryRelay;
    final boolean transformed;
    final boolean adaptiveParallelism;
    /** The parallelism the job set, or 0 when it set none. */
    final int parallelismSet;
    final boolean growPoolForRun;
    final Incremental incremental;

    private EtlJob(Builder b) {
        this.name = b.name;
        this.sourcePool = b.sourcePool;
        this.query = b.query;
        // an incremental job without a partition column is cut on its cursor
        this.partitionColumn = b.partitionColumn != null || b.incremental == null ? b.partitionColumn
                : b.incremental.cursor();
        this.partitions = partitionColumn == null ? 1
                : b.partitions > 0 ? b.partitions : b.parallelism != null ? b.parallelism : DEFAULT_PARTITIONS;
        this.fetchSize = b.fetchSize;
        this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(b.columns));
        this.transform = b.transform;
        this.targetPool = b.targetPool;
        this.table = b.table;
        this.mode = b.mode;
        this.key = List.copyOf(b.key);
        this.method = b.method;
        this.createTable = b.createTable;
        this.rejectTable = b.rejectTable;
        this.checkpointSchema = b.checkpointSchema;
        this.parallelism = b.parallelism != null ? b.parallelism
                : defaultParallelism(partitions, Runtime.getRuntime().availableProcessors());
        this.chunkSize = b.chunkSize;
        this.chunkSizeSet = b.chunkSizeSet;
        this.maxRetries = b.maxRetries;
        this.retryBackoff = b.retryBackoff;
        this.listener = b.listener;
        this.waitForLease = b.waitForLease;
        this.maxRejects = b.maxRejects;
        this.maxRejectsPercent = b.maxRejectsPercent;
        this.binaryRelay = b.binaryRelay;
        this.transformed = b.transformed;
        this.adaptiveParallelism = b.adaptiveParallelism;
        this.parallelismSet = b.parallelism != null ? b.parallelism : 0;
        this.growPoolForRun = b.growPoolForRun;
        this.incremental = b.incremental;
    }

    /** This job reading another query: an incremental run's job, its source query cut to the run's interval. */
    private EtlJob(EtlJob o, String query) {
        this.name = o.name;
        this.sourcePool = o.sourcePool;
        this.query = query;
        this.partitionColumn = o.partitionColumn;
        this.partitions = o.partitions;
        this.fetchSize = o.fetchSize;
        this.columns = o.columns;
        this.transform = o.transform;
        this.targetPool = o.targetPool;
        this.table = o.table;
        this.mode = o.mode;
        this.key = o.key;
        this.method = o.method;
        this.createTable = o.createTable;
        this.rejectTable = o.rejectTable;
        this.checkpointSchema = o.checkpointSchema;
        this.parallelism = o.parallelism;
        this.chunkSize = o.chunkSize;
        this.chunkSizeSet = o.chunkSizeSet;
        this.maxRetries = o.maxRetries;
        this.retryBackoff = o.retryBackoff;
        this.listener = o.listener;
        this.waitForLease = o.waitForLease;
        this.maxRejects = o.maxRejects;
        this.maxRejectsPercent = o.maxRejectsPercent;
        this.binaryRelay = o.binaryRelay;
        this.transformed = o.transformed;
        this.adaptiveParallelism = o.adaptiveParallelism;
        this.parallelismSet = o.parallelismSet;
        this.growPoolForRun = o.growPoolForRun;
        this.incremental = o.incremental;
    }

    /** A builder of a job with this name (it names the checkpoints, so a rerun resumes). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Runs the job, resuming from the checkpoints of an earlier run if there are any. Refuses when another
     * run of the job holds its lease (unless {@link Builder#waitForLease} lets it queue), and when the
     * stored checkpoints belong to a different job of the same name. A failure is a
     * {@link JobFailedException} carrying what the run committed; it returns or throws only once every
     * partition task has ended.
     */
    public JobResult run() throws java.sql.SQLException {
        return new JobRunner(this, false, q -> new EtlJob(this, q)).run();
    }

    /**
     * Runs the job from scratch: clears its checkpoints (and, for TRUNCATE_INSERT, empties the table). In
     * INSERT mode it refuses when the target already holds rows, which it would load a second time.
     */
    public JobResult runFromScratch() throws java.sql.SQLException {
        return new JobRunner(this, true, q -> new EtlJob(this, q)).run();
    }

    /** How the job loads incrementally, or null: every run of a finished job then does nothing. */
    public Incremental incremental() {
        return incremental;
    }

    /** The job's checkpoints, whether they belong to this job definition, and who holds its lease. */
    public JobStatus status() throws java.sql.SQLException {
        return JobAdmin.status(this);
    }

    /**
     * Removes the job's checkpoints, so that its next run starts from scratch; refuses while a run holds
     * the job's lease. Returns how many partition checkpoints were removed.
     */
    public int reset() throws java.sql.SQLException {
        return JobAdmin.reset(this);
    }

    /** The job's name. */
    public String name() {
        return name;
    }

    /** The pool the rows are read from. */
    public EtlPool sourcePool() {
        return sourcePool;
    }

    /** The query that reads the source rows. */
    public String query() {
        return query;
    }

    /** The column the source is split on, or null for one partition. */
    public String partitionColumn() {
        return partitionColumn;
    }

    /** How many partitions the source is read in. */
    public int partitions() {
        return partitions;
    }

    /** The JDBC fetch size of the streaming read. */
    public int fetchSize() {
        return fetchSize;
    }

    /** Target column to source SQL expression; empty: all source columns as they are. */
    public Map<String, String> columns() {
        return columns;
    }

    /** The transform applied to each source row. */
    public RowTransform transform() {
        return transform;
    }

    /** The pool the rows are written to. */
    public EtlPool targetPool() {
        return targetPool;
    }

    /** The target table. */
    public String table() {
        return table;
    }

    /** How rows are loaded into the target table. */
    public LoadMode mode() {
        return mode;
    }

    /** The key columns of an upsert. */
    public List<String> key() {
        return key;
    }

    /** Whether rows go in by COPY or by batched INSERT. */
    public LoadMethod method() {
        return method;
    }

    /** Whether the target table is created when missing. */
    public boolean createTable() {
        return createTable;
    }

    /** The table rows the target refuses go to, or null when there is none. */
    public String rejectTable() {
        return rejectTable;
    }

    /** Whether a job whose rows need no Java code may relay binary COPY from source to target (default on). */
    public boolean binaryRelay() {
        return binaryRelay;
    }

    /** Whether the job has a Java transform (rows then pass through Java values). */
    public boolean hasTransform() {
        return transformed;
    }

    /** Whether a run raises its pools' maxSize for the connections it holds throughout (see the builder). */
    public boolean growPoolForRun() {
        return growPoolForRun;
    }

    /** The schema of the checkpoint table; null: the first schema on the target's search path. */
    public String checkpointSchema() {
        return checkpointSchema;
    }

    /** Partitions worked on at once: as set, or {@link #defaultParallelism(int, int)} on this machine. */
    public int parallelism() {
        return parallelism;
    }

    /** Whether the number of streams adapts to throughput ({@link Builder#adaptiveParallelism(boolean)}). */
    public boolean adaptiveParallelism() {
        return adaptiveParallelism;
    }

    /** The parallelism the job set, or 0 when it set none (the default then applies). */
    public int parallelismSet() {
        return parallelismSet;
    }

    /**
     * Partitions of a job that sets neither {@code partitions} nor {@code parallelism}. A constant, not the
     * machine's cores: the partition count is part of the job's fingerprint, so a job must plan the same
     * way wherever it runs, or a resume on another machine would be refused.
     */
    public static final int DEFAULT_PARTITIONS = 4;

    /** Rows per chunk (per target transaction) unless set, on the row and transform paths. */
    public static final int DEFAULT_CHUNK_SIZE = 10_000;

    /**
     * Rows per chunk on the binary relay unless chunkSize is set. Every chunk costs a few round trips, a
     * commit and a checkpoint on both sides: on a 2M-row relay, chunks of 100,000 rows took 10-20% less wall
     * time and a quarter less client CPU than chunks of 10,000 (docs/BENCHMARKS.md). The row and transform
     * paths keep {@link #DEFAULT_CHUNK_SIZE}: a chunk of 100,000 wide rows staged for its text-form columns
     * ran 7 times slower there. A crash redoes at most one chunk per partition; the chunk size is not part
     * of a job's identity, so it may change between runs.
     */
    public static final int DEFAULT_RELAY_CHUNK_SIZE = 100_000;

    /**
     * The parallelism of a job that does not set one: one stream per client core, at most one per
     * partition. Each stream keeps about one core busy (decoding, encoding, the driver), so more streams
     * than cores only add switching and contention; docs/ARCHITECTURE.md ("Parallelism") has the measurements.
     */
    public static int defaultParallelism(int partitions, int cores) {
        return Math.max(1, Math.min(partitions, cores));
    }

    /** Rows per chunk. */
    public int chunkSize() {
        return chunkSize;
    }

    /** Rows per chunk on the binary relay: {@link #chunkSize()} if it was set, else {@link #DEFAULT_RELAY_CHUNK_SIZE}. */
    public int relayChunkSize() {
        return chunkSizeSet ? chunkSize : DEFAULT_RELAY_CHUNK_SIZE;
    }

    /** How often a partition starts again after a transient failure before the job fails. */
    public int maxRetries() {
        return maxRetries;
    }

    /** The pause before the first retry. */
    public Duration retryBackoff() {
        return retryBackoff;
    }

    /** The listener of the job's progress. */
    public ProgressListener listener() {
        return listener;
    }

    /** How long a run waits for another run of the job to end (zero: refuses at once). */
    public Duration waitForLease() {
        return waitForLease;
    }

    /** Rejected rows that stop the job (negative: no limit). */
    public long maxRejects() {
        return maxRejects;
    }

    /** Share of rows read, in percent, whose rejection stops the job (negative: no limit). */
    public double maxRejectsPercent() {
        return maxRejectsPercent;
    }

    @Override
    public String toString() {
        return "EtlJob[" + name + ": " + (partitionColumn == null ? "1 partition" : partitions + " partitions by "
                + partitionColumn) + " -> " + table + " (" + mode + ", " + method + "), parallelism " + parallelism + "]";
    }

    /** Settings of a job; {@link #build()} checks them and names the setting that is wrong. */
    public static final class Builder {
        private final String name;
        private EtlPool sourcePool;
        private String query;
        private String partitionColumn;
        private int partitions;
        private int fetchSize = 10_000;
        private final Map<String, String> columns = new LinkedHashMap<>();
        private RowTransform transform = RowTransform.identity();
        private EtlPool targetPool;
        private String table;
        private LoadMode mode = LoadMode.INSERT;
        private final List<String> key = new ArrayList<>();
        private LoadMethod method = LoadMethod.COPY;
        private boolean createTable;
        private String rejectTable;
        private String checkpointSchema;
        private Integer parallelism;
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private boolean chunkSizeSet;
        private int maxRetries = 10;
        private Duration retryBackoff = Duration.ofMillis(200);
        private ProgressListener listener = ProgressListener.NONE;
        private Duration waitForLease = Duration.ZERO;
        private long maxRejects = -1;
        private double maxRejectsPercent = -1;
        private boolean binaryRelay = true;
        private boolean adaptiveParallelism;
        private boolean transformed;
        private boolean growPoolForRun = true;
        private Incremental incremental;

        private Builder(String name) {
            this.name = name;
        }

        /** Where rows come from: a pool and a query (the job's only source of rows). */
        public Builder source(EtlPool pool, String query) {
            this.sourcePool = pool;
            this.query = query;
            return this;
        }

        /**
         * An integer, date or timestamp column of the query: the engine cuts its min-max range into
         * partitions extracted in parallel, and resumes by key. Without one, the job is one partition that
         * resumes by row position, which needs an ORDER BY on a unique column in the query; a resume checks
         * that the rows it skips are the rows committed before, and refuses otherwise.
         */
        public Builder partitionColumn(String column) {
            this.partitionColumn = column;
            return this;
        }

        /** How many key ranges (default: the parallelism if set, else {@link EtlJob#DEFAULT_PARTITIONS}). */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** Rows fetched per round trip while streaming (default 10,000). */
        public Builder fetchSize(int fetchSize) {
            this.fetchSize = fetchSize;
            return this;
        }

        /** A target column and the SQL expression over the source query's columns that fills it. */
        public Builder column(String target, String sourceExpression) {
            columns.put(Objects.requireNonNull(target, "target"), Objects.requireNonNull(sourceExpression, "sourceExpression"));
            return this;
        }

        /** The transform applied to each source row (default: rows as they are). */
        public Builder transform(RowTransform transform) {
            this.transform = Objects.requireNonNull(transform, "transform");
            this.transformed = true;
            return this;
        }

        /** Where rows go: a pool (may be the source's) and a table, optionally schema-qualified. */
        public Builder target(EtlPool pool, String table) {
            this.targetPool = pool;
            this.table = table;
            return this;
        }

        /** How rows are loaded into the target table. */
        public Builder mode(LoadMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** The key columns of an upsert. */
        public Builder key(String... columns) {
            key.clear();
            key.addAll(List.of(columns));
            return this;
        }

        /** Whether rows go in by COPY or by batched INSERT. */
        public Builder method(LoadMethod method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * On (the default): a job without a Java transform, from PostgreSQL into a PostgreSQL table whose
         * column types are the source query's, streams binary COPY from source to target without decoding
         * values; another COPY job between PostgreSQL databases (a transform, other types) reads binary COPY
         * decoded into the same Java values and writes binary COPY. Off, or from other databases, rows pass
         * through the driver's results and COPY text. {@link JobResult#path()} says which path a run took
         * and why.
         */
        public Builder binaryRelay(boolean binaryRelay) {
            this.binaryRelay = binaryRelay;
            return this;
        }

        /** Create the target table from the source query's columns when it does not exist. */
        public Builder createTable(boolean createTable) {
            this.createTable = createTable;
            return this;
        }

        /**
         * Rows the target refuses for their values (SQLState classes 22 and 23) go to this table, with the
         * error, and the job goes on; any other error stops the job.
         */
        public Builder rejectTable(String rejectTable) {
            this.rejectTable = rejectTable;
            return this;
        }

        /**
         * The schema of the checkpoint table {@code etlpool_checkpoint} in the target (default: the first
         * schema on the target's search path, usually {@code public}): for a user that may not create
         * tables there.
         */
        public Builder checkpointSchema(String schema) {
            this.checkpointSchema = schema;
            return this;
        }

        /**
         * Partitions worked on at once (default: one per core of this machine, at most the partition count;
         * see {@link EtlJob#defaultParallelism(int, int)}).
         */
        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        /**
         * Adaptive parallelism (default off): the run starts with up to 2 streams and adds one while the
         * rows written per second rise, steps back when a stream buys nothing or throughput falls, bounded
         * by the pools' connections (a stream takes a source and a target connection), the partitions left
         * and, when set, {@link #parallelism(int)}. The level shows in each {@link ProgressEvent#streams()}.
         */
        public Builder adaptiveParallelism(boolean adaptive) {
            this.adaptiveParallelism = adaptive;
            return this;
        }

        /**
         * Rows per chunk: one transaction with its checkpoint (default 10,000; 100,000 on the binary relay,
         * {@link EtlJob#DEFAULT_RELAY_CHUNK_SIZE}).
         */
        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            this.chunkSizeSet = true;
            return this;
        }

        /** How often a partition starts again after a transient failure before the job fails (default 10). */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** Pause before the first retry; it doubles each time, up to 5 s (default 200 ms). */
        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = Objects.requireNonNull(retryBackoff, "retryBackoff");
            return this;
        }

        /** The listener of the job's progress. */
        public Builder listener(ProgressListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * When another run of this job holds its lease, wait up to this long for it to end instead of
         * refusing at once (default: zero, refuse).
         */
        public Builder waitForLease(Duration wait) {
            this.waitForLease = Objects.requireNonNull(wait, "wait");
            return this;
        }

        /** Stop the job when more than this many rows were rejected in a run (default: no limit). */
        public Builder maxRejects(long count) {
            this.maxRejects = count;
            return this;
        }

        /** Stop the job when more than this percentage of the rows read in a run was rejected (default: no limit). */
        public Builder maxRejectsPercent(double percent) {
            this.maxRejectsPercent = percent;
            return this;
        }

        /**
         * On (the default): for each connection a run holds for its whole duration (the lease in the target,
         * the source snapshot) the pool's maxSize grows by one while the run lasts, so a pool sized for the
         * partitions still runs the job. Off: the pool's maxSize is a hard budget the held connections come
         * out of; whoever runs the job leaves room for them ({@link Pipeline} turns this off for its streams).
         */
        public Builder growPoolForRun(boolean grow) {
            this.growPoolForRun = grow;
            return this;
        }

        /**
         * Load incrementally (see {@link Incremental}): a run loads the rows past the watermark, in mode INSERT
         * (append) or UPSERT. Without a partitionColumn the job is partitioned on the cursor; a table where one
         * transaction sets many rows to one cursor value is better cut on a unique column.
         */
        public Builder incremental(Incremental incremental) {
            this.incremental = Objects.requireNonNull(incremental, "incremental");
            return this;
        }

        /** The job, once its settings are checked. */
        public EtlJob build() {
            String job = "job '" + name + "': ";
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("job name '" + name
                        + "' is not accepted: use 1-100 letters, digits, '_', '-' or '.'");
            }
            if (sourcePool == null || query == null || query.isBlank()) {
                throw new IllegalArgumentException(job + "no source: call source(pool, query)");
            }
            if (targetPool == null || table == null || table.isBlank()) {
                throw new IllegalArgumentException(job + "no target: call target(pool, table)");
            }
            if (partitionColumn == null && incremental == null && !ORDER_BY.matcher(query).matches()) {
                throw new IllegalArgumentException(job + "without a partitionColumn the job resumes by row position, "
                        + "which needs a stable order: add an ORDER BY on a unique column to the source query, "
                        + "or set partitionColumn");
            }
            if (mode == LoadMode.UPSERT && key.isEmpty()) {
                throw new IllegalArgumentException(job + "mode UPSERT needs key columns: call key(\"id\")");
            }
            if (mode != LoadMode.UPSERT && !key.isEmpty()) {
                throw new IllegalArgumentException(job + "key is used by mode UPSERT only; mode is " + mode);
            }
            incrementalSettings(job);
            names(job);
            positive(job, "partitions", partitions == 0 ? 1 : partitions);
            positive(job, "fetchSize", fetchSize);
            positive(job, "parallelism", parallelism == null ? 1 : parallelism);
            positive(job, "chunkSize", chunkSize);
            if (waitForLease.isNegative()) {
                throw new IllegalArgumentException(job + "waitForLease (" + waitForLease + ") must not be negative");
            }
            if (maxRejectsPercent > 100 || Double.isNaN(maxRejectsPercent)) {
                throw new IllegalArgumentException(job + "maxRejectsPercent (" + maxRejectsPercent
                        + ") must be between 0 and 100");
            }
            if ((maxRejects >= 0 || maxRejectsPercent >= 0) && rejectTable == null) {
                throw new IllegalArgumentException(job + "maxRejects limits the rows sent to the reject table: "
                        + "set rejectTable too");
            }
            if (maxRetries < 0) {
                throw new IllegalArgumentException(job + "maxRetries (" + maxRetries + ") must not be negative");
            }
            return new EtlJob(this);
        }

        /** Every name must read as SQL (see the class comment): refused here, before anything runs. */
        private void names(String job) {
            try {
                Sql.table(table);
                if (rejectTable != null) {
                    Sql.table(rejectTable);
                }
                if (checkpointSchema != null) {
                    Sql.name(checkpointSchema, "checkpointSchema");
                }
                if (partitionColumn != null) {
                    Sql.name(partitionColumn, "partitionColumn");
                }
                for (String k : key) {
                    Sql.name(k, "key");
                }
                for (String c : columns.keySet()) {
                    Sql.name(c, "column");
                }
                if (incremental != null) {
                    Sql.name(incremental.cursor(), "incremental cursor");
                    if (incremental.softDelete() != null) {
                        Sql.name(incremental.softDelete(), "softDelete");
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(job + e.getMessage(), e);
            }
        }

        /** Incremental loads append or upsert; reading rows again (lookback) or deleting needs the key. */
        private void incrementalSettings(String job) {
            if (incremental == null) {
                return;
            }
            if (mode != LoadMode.INSERT && mode != LoadMode.UPSERT) {
                throw new IllegalArgumentException(job + "an incremental job appends (mode INSERT) or upserts (mode "
                        + "UPSERT) the rows past its watermark; mode " + mode + " reloads the whole table: drop "
                        + "incremental, or choose INSERT or UPSERT");
            }
            if (!incremental.lookback().isZero() && mode != LoadMode.UPSERT) {
                throw new IllegalArgumentException(job + "lookback reads rows again, which only mode UPSERT merges by "
                        + "key (INSERT would load them twice): set mode UPSERT and key, or drop lookback");
            }
            if (incremental.softDelete() != null && mode != LoadMode.UPSERT) {
                throw new IllegalArgumentException(job + "softDelete removes the target rows whose key a marked row "
                        + "has, so it needs mode UPSERT and key");
            }
        }

        private static void positive(String job, String setting, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(job + setting + " (" + value + ") must be at least 1");
            }
        }
    }
}
