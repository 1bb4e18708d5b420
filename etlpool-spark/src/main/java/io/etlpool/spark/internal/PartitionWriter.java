package io.etlpool.spark.internal;

import io.etlpool.spark.ExecutorPools;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes one Spark partition in ONE transaction of the target: claims the partition's checkpoint row, loads
 * the rows (COPY by default; into a temporary stage for upsert, merged at the end), stores the row count and
 * digest in the checkpoint row and commits. A task attempt that fails at any point (an exception in the
 * DataFrame's own code, a lost connection, a killed executor) leaves nothing: its transaction rolls back. An
 * attempt of a partition that is already committed (a retry after a lost commit reply, a speculative
 * duplicate, a re-run of the job) writes nothing; it reads its input only to check that it is the same.
 * The connection is borrowed at the first row from this executor's pool and given back at the end.
 */
final class PartitionWriter implements DataWriter<InternalRow> {

    private final WriteSpec spec;
    private final int partition;
    private final ValueText.Reader[] readers;
    private final String[] values;
    private final RowDigest digest = new RowDigest();
    private ExecutorPools.Lease lease;
    private Connection connection;
    private RowSink sink;
    private Checkpoints.Stored stored;
    private boolean started;

    PartitionWriter(WriteSpec spec, int partition) {
        this.spec = spec;
        this.partition = partition;
        this.readers = new ValueText.Reader[spec.types.length];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = ValueText.of(spec.sparkColumns[i], spec.types[i]);
        }
        this.values = new String[readers.length];
    }

    @Override
    public void write(InternalRow row) throws java.io.IOException {
        try {
            if (!started) {
                start();
            }
            for (int i = 0; i < readers.length; i++) {
                values[i] = row.isNullAt(i) ? null : readers[i].text(row, i);
                digest.value(values[i]);
            }
            digest.endRow();
            if (sink != null) {
                sink.add(values);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public WriterCommitMessage commit() throws java.io.IOException {
        try {
            if (!started) {
                start();
            }
            if (stored != null) {
                if (stored.rows() != digest.rows() || stored.digest() != digest.sum()) {
                    throw new IllegalStateException("partition " + partition + " of job '" + spec.job + "' was written"
                            + " before with " + stored.rows() + " rows; this attempt read " + digest.rows() + " rows"
                            + (stored.rows() == digest.rows() ? " with other values" : "") + ". The input changed (the same"
                            + " jobId for other data, or rows that are not the same on every run, e.g. after a shuffle"
                            + " without a sort): nothing was written. Use a new jobId for new data");
                }
                return new PartitionCommit(partition, digest.rows(), true);
            }
            sink.finish();
            if (spec.mode.equals(WriteSpec.UPSERT)) {
                Merge.run(connection, spec, partition);
            }
            Checkpoints.complete(connection, spec, partition, digest.rows(), digest.sum());
            connection.commit();
            return new PartitionCommit(partition, digest.rows(), false);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private void start() throws SQLException {
        started = true;
        lease = ExecutorPools.shared().borrow(spec.budget.executorPool());
        connection = lease.pool().getConnection();
        connection.setAutoCommit(false);
        stored = Checkpoints.claim(connection, spec, partition, attempt());
        if (stored != null) {
            connection.rollback();
            release(); // nothing to write: the connection is free for other tasks at once
            return;
        }
        String into = spec.table;
        if (spec.mode.equals(WriteSpec.UPSERT)) {
            into = Merge.STAGE;
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE TEMPORARY TABLE " + Merge.STAGE + " ON COMMIT DROP AS SELECT " + spec.columnList()
                        + " FROM " + spec.table + " WITH NO DATA");
            }
        }
        sink = RowSink.open(connection, spec.method, into, spec.columnList(), spec.columns.length, spec.batchSize);
    }

    private static String attempt() {
        TaskContext t = TaskContext.get();
        return t == null ? "" : "stage " + t.stageId() + "." + t.stageAttemptNumber() + " task " + t.taskAttemptId()
                + " attempt " + t.attemptNumber();
    }

    private java.io.IOException failed(SQLException e) {
        return new java.io.IOException("partition " + partition + " of job '" + spec.job + "' into " + spec.table
                + " failed; its transaction is rolled back, so a retry writes it whole: " + e.getMessage(), e);
    }

    @Override
    public void abort() {
        if (sink != null) {
            sink.cancel();
        }
        if (connection != null) {
            try {
                // a failed COPY can leave the session unusable: never reuse it (the server rolls back)
                lease.pool().evict(connection);
            } catch (SQLException | RuntimeException ignored) {
                // already closed or lost: the server rolls the transaction back
            }
        }
        release();
    }

    @Override
    public void close() {
        release();
    }

    private void release() {
        if (connection != null) {
            try {
                connection.close(); // rolls back whatever is open
            } catch (SQLException | RuntimeException ignored) {
                // the pool discards a connection it cannot clean
            }
            connection = null;
        }
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }
}
