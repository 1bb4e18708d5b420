package io.etlpool.etl.internal;

import io.etlpool.SqlErrors;
import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.LoadMethod;
import io.etlpool.etl.PartitionResult;
import io.etlpool.etl.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Moves one partition: streams its rows in key order, transforms them, and commits them chunk by chunk
 * together with the chunk's checkpoint. A transient failure starts it again, on fresh connections, from
 * the checkpoint as the target recorded it (not as this process believes it: a commit whose answer was
 * lost may have happened).
 */
final class PartitionTask implements Callable<PartitionResult> {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionTask.class);
    private static final long MAX_BACKOFF_MS = 5_000;

    private final EtlJob job;
    private final Partition partition;
    private final JobRunner runner;
    private final ChunkWriter writer;
    private final Rejects rejects;
    private long rowsRead;
    private long rowsWritten;
    private long rowsRejected;
    private int retries;

    PartitionTask(EtlJob job, Partition partition, JobRunner runner) {
        this.job = job;
        this.partition = partition;
        this.runner = runner;
        this.writer = new ChunkWriter(job);
        this.rejects = job.rejectTable() == null ? null : new Rejects(job.rejectTable());
    }

    @Override
    public PartitionResult call() throws SQLException {
        long backoff = job.retryBackoff().toMillis();
        while (!partition.done) {
            try {
                runOnce();
            } catch (SQLException e) {
                if (e instanceof EtlException || !SqlErrors.isRetryable(e)) {
                    throw e instanceof EtlException ? e : failed("failed", e);
                }
                if (retries >= job.maxRetries()) {
                    throw failed("failed after " + retries + " retries", e);
                }
                retries++;
                LOG.info("job {} partition {} {}: transient failure ({}), retry {} of {} from the last checkpoint",
                        job.name(), partition.id, partition.range(), e.getSQLState(), retries, job.maxRetries());
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
        return new PartitionResult(partition.id, partition.range(), rowsRead, rowsWritten, rowsRejected, retries,
                partition.resumed);
    }

    private void runOnce() throws SQLException {
        try (ConnectionPair pair = ConnectionPair.open(job)) {
            pair.source().setAutoCommit(false); // PgJDBC streams with a cursor only inside a transaction
            pair.target().setAutoCommit(false);
            refreshCheckpoint(pair.target());
            if (!partition.done) {
                stream(pair.source(), pair.target());
            }
        }
    }

    /** The target's checkpoint is the truth: reread it before every attempt. */
    private void refreshCheckpoint(Connection target) throws SQLException {
        for (Partition stored : Checkpoints.load(target, job)) {
            if (stored.id == partition.id) {
                partition.lastKey = stored.lastKey;
                partition.rowsDone = stored.rowsDone;
                partition.done = stored.done;
            }
        }
        target.commit();
    }

    private void stream(Connection source, Connection target) throws SQLException {
        boolean pgSource = Sessions.isPostgres(source);
        boolean pgTarget = Sessions.isPostgres(target);
        if (pgSource) {
            Sessions.noTimeouts(source);
        }
        boolean bounded = partition.bounded();
        Extraction extraction = Extraction.describe(job, source);
        String sql = bounded ? extraction.partitioned(partition.lastKey != null, isLast()) : extraction.unpartitioned();
        try (PreparedStatement ps = source.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(job.fetchSize());
            if (bounded) {
                ps.setObject(1, partition.lo);
                ps.setObject(2, partition.hi);
                if (partition.lastKey != null) {
                    ps.setObject(3, partition.lastKey);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                int first = bounded ? 2 : 1;
                Extraction.Reader[] readers = extraction.readers();
                List<String> columns = extraction.names();
                Record.Schema schema = Record.schema(columns);
                long skip = bounded ? 0 : partition.rowsDone; // unpartitioned: resume by position
                Chunk chunk = new Chunk();
                Object previousKey = null;
                while (rs.next()) {
                    if (skip > 0) {
                        skip--;
                        continue;
                    }
                    Object key = bounded ? partition.keyType.read(rs, 1) : null;
                    // a chunk never splits rows with the same key: resuming after it must not skip any
                    if (chunk.sourceRows >= job.chunkSize() && (!bounded || !key.equals(previousKey))) {
                        commitChunk(target, pgTarget, chunk, previousKey, false);
                        chunk = new Chunk();
                    }
                    Object[] values = new Object[readers.length];
                    for (int i = 0; i < readers.length; i++) {
                        values[i] = readers[i].read(rs, first + i);
                    }
                    rowsRead++;
                    runner.read(1);
                    chunk.add(job.transform().apply(schema.record(values)),
                            bounded ? key : partition.rowsDone + chunk.sourceRows + 1);
                    previousKey = key;
                }
                commitChunk(target, pgTarget, chunk, previousKey, true);
            }
        }
        source.rollback(); // read-only: nothing to keep
    }

    private boolean isLast() {
        return partition.id == runner.partitionCount() - 1;
    }

    private void commitChunk(Connection target, boolean pg, Chunk chunk, Object lastKey, boolean done)
            throws SQLException {
        if (pg) {
            Sessions.noTimeouts(target);
        }
        long rejected = 0;
        if (!chunk.rows.isEmpty()) {
            List<String> columns = chunk.columns();
            try {
                Savepoint before = target.setSavepoint();
                try {
                    writer.write(target, columns, chunk.rows);
                } catch (SQLException e) {
                    if (SqlErrors.isRetryable(e)) {
                        throw e;
                    }
                    target.rollback(before);
                    rejected = writeRowByRow(target, columns, chunk, e);
                }
            } catch (SQLException e) {
                rollbackQuietly(target, e);
                throw e;
            }
        }
        long rowsDone = partition.rowsDone + chunk.sourceRows;
        Object checkpointKey = partition.bounded() ? (lastKey != null ? lastKey : partition.lastKey) : null;
        try {
            Checkpoints.save(target, job, partition, checkpointKey, rowsDone, done);
            target.commit();
        } catch (SQLException e) {
            rollbackQuietly(target, e);
            throw e;
        }
        partition.lastKey = checkpointKey;
        partition.rowsDone = rowsDone;
        partition.done = done;
        long written = chunk.rows.size() - rejected;
        rowsWritten += written;
        rowsRejected += rejected;
        runner.committed(partition, rowsRead, rowsWritten, written, rejected, done);
    }

    /**
     * A chunk failed on its data: write it row by row (each behind a savepoint) to find the rows at fault.
     * With a reject table they go there and the rest is written; without one the job stops, naming the
     * first failing row's key.
     */
    private long writeRowByRow(Connection target, List<String> columns, Chunk chunk, SQLException chunkError)
            throws SQLException {
        long rejected = 0;
        for (int i = 0; i < chunk.rows.size(); i++) {
            Object[] row = chunk.rows.get(i);
            Savepoint sp = target.setSavepoint();
            try {
                writer.writeOne(target, columns, row);
                target.releaseSavepoint(sp);
            } catch (SQLException e) {
                if (SqlErrors.isRetryable(e)) {
                    throw e;
                }
                target.rollback(sp);
                String key = String.valueOf(chunk.keys.get(i));
                if (rejects == null) {
                    throw failed("stopped on a data error at the row with " + keyName() + " " + key
                            + " (set a reject table to set such rows aside and go on)", e);
                }
                rejects.reject(target, job.name(), partition.id, key, e, columns, row);
                rejected++;
            }
        }
        if (rejected == 0) {
            String why = job.method() == LoadMethod.COPY
                    ? "every row was accepted on its own by INSERT, so the COPY text of a value is the suspect "
                    + "(method BATCH does not use COPY)"
                    : "every row was accepted on its own, so the failure depends on the rows together";
            throw failed("stopped: the chunk failed but no single row did; " + why, chunkError);
        }
        return rejected;
    }

    private String keyName() {
        return partition.bounded() ? job.partitionColumn() : "row number";
    }

    private EtlException failed(String what, SQLException cause) {
        return new EtlException("job '" + job.name() + "' partition " + partition.id + " " + partition.range() + " "
                + what + ": " + (cause.getSQLState() == null ? "" : "SQLState " + cause.getSQLState() + ": ")
                + firstLine(cause.getMessage()), cause);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void rollbackQuietly(Connection c, SQLException failure) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void sleep(long ms) throws SQLException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to retry", "57014", e);
        }
    }

    /** The rows of one chunk, after the transform, with the source key each came from. */
    private static final class Chunk {
        final List<Object[]> rows = new ArrayList<>();
        final List<Object> keys = new ArrayList<>();
        List<String> columns;
        long sourceRows;

        void add(List<Record> out, Object key) throws SQLException {
            sourceRows++;
            for (Record r : out) {
                if (columns == null) {
                    columns = r.columns();
                } else if (!columns.equals(r.columns())) {
                    throw new EtlException("the transform produced rows with different columns: " + columns + " and "
                            + r.columns() + "; every row a job writes needs the same columns");
                }
                rows.add(r.toArray());
                keys.add(key);
            }
        }

        List<String> columns() {
            return columns;
        }
    }

    /** Session settings for long ETL work. */
    static final class Sessions {
        private Sessions() {
        }

        static boolean isPostgres(Connection c) throws SQLException {
            return "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
        }

        /** For this transaction only (SET LOCAL): the pooled session keeps its own settings afterwards. */
        static void noTimeouts(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL statement_timeout = 0; SET LOCAL idle_in_transaction_session_timeout = 0");
            }
        }
    }
}
