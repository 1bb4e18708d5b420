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
 * lost may have happened). Each chunk's transaction first locks the checkpoint row and checks it is still
 * where the chunk started ({@link Checkpoints#lockAndCheck}), so a commit that outlived its client can
 * never be repeated by the retry. {@link #cancel()} stops it from another thread.
 */
final class PartitionTask implements Callable<PartitionResult> {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionTask.class);
    private static final long MAX_BACKOFF_MS = 5_000;
    /** A chunk never splits equal keys; a run of equal keys longer than this many chunks stops the job. */
    static final int MAX_CHUNKS_OF_EQUAL_KEYS = 10;

    private final EtlJob job;
    private final Partition partition;
    private final JobRunner runner;
    private final ChunkWriter writer;
    private final Rejects rejects;
    private volatile ConnectionPair current;
    private volatile PreparedStatement currentQuery;
    private long rowsRead;
    private long rowsWritten;
    private long rowsRejected;
    private long rowsMerged;
    private int retries;
    /** How this attempt writes chunks by binary COPY (binary rows), or null for COPY text and batches. */
    private BinaryChunks binary;
    /**
     * This attempt writes its chunks as COPY text: a value that fails binary COPY's exact encoding was found
     * mid-COPY (after rows had gone to the server), which a later chunk would only pay again.
     */
    private boolean textWrites;
    /** Why this partition left the binary relay for the row path (a chunk failed on its data), or null. */
    private String rowsFrom;

    /** What a new chunk of this attempt is screened for: its binary writer, unless its chunks go as COPY text. */
    private BinaryChunks screening() {
        return textWrites ? null : binary;
    }

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
            runner.checkNotStopped();
            try {
                runOnce();
            } catch (RelayRowError e) {
                // the row path finds the rows at fault (and the reject table takes them), from the same checkpoint
                rowsFrom = "a chunk of the binary relay failed on its data (" + firstLine(e.getCause().getMessage())
                        + "); the row path finds the row";
                runner.path("rows (reason: " + rowsFrom + ")");
                LOG.info("job {} partition {}: {}", job.name(), partition.id, rowsFrom);
            } catch (SQLException e) {
                runner.checkNotStopped(); // a cancelled statement is the stop, not a failure to retry
                if (e instanceof EtlException || !SqlErrors.isRetryable(e)) {
                    throw e instanceof EtlException ? e : failed("failed", e);
                }
                if (retries >= job.maxRetries()) {
                    throw failed("failed after " + retries + " retries", e);
                }
                retries++;
                if (e instanceof StaleCheckpointException) {
                    LOG.info("{}", e.getMessage());
                    continue; // the position is known: re-read from it at once
                }
                LOG.info("job {} partition {} {}: transient failure ({}), retry {} of {} from the last checkpoint",
                        job.name(), partition.id, partition.range(), e.getSQLState(), retries, job.maxRetries());
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
        return new PartitionResult(partition.id, partition.range(), rowsRead, rowsWritten, rowsRejected, retries,
                partition.resumed);
    }

    long rowsMerged() {
        return rowsMerged;
    }

    /**
     * Stops the task from another thread: cancels what its connections run (PgJDBC does not react to
     * interrupts). The task sees {@link JobRunner#checkNotStopped()} and ends; called until it has.
     */
    void cancel() {
        ConnectionPair pair = current;
        if (pair != null) {
            Sessions.cancel(pair.source(), currentQuery);
            Sessions.cancel(pair.target(), null);
        }
    }

    private void runOnce() throws SQLException {
        try (ConnectionPair pair = ConnectionPair.open(job)) {
            current = pair;
            try {
                runner.snapshot().begin(pair.source()); // PgJDBC streams with a cursor only inside a transaction
                if (partition.keyType == KeyType.CTID && !runner.snapshot().intact()) {
                    // another snapshot than the one the positions were read in: only exact if no row moved
                    BlockRanges.checkUnchanged(job, pair.source(), partition.sourceState);
                }
                pair.target().setAutoCommit(false);
                refreshCheckpoint(pair.target());
                if (!partition.done) {
                    stream(pair.source(), pair.target());
                }
            } finally {
                current = null;
                currentQuery = null;
            }
        }
    }

    /** The target's checkpoint is the truth: reread it before every attempt. */
    private void refreshCheckpoint(Connection target) throws SQLException {
        for (Partition stored : Checkpoints.load(target, job)) {
            if (stored.id == partition.id) {
                long gained = stored.rowsDone - partition.rowsDone;
                if (gained > 0 && stored.seq > partition.seq) {
                    // a commit of this run whose answer was lost did happen (the lease keeps other runs out)
                    LOG.info("job {} partition {}: a chunk of {} rows committed although its commit reported a "
                            + "failure; going on after it", job.name(), partition.id, gained);
                    rowsRead += gained;
                    rowsWritten += gained;
                    runner.committed(partition, gained, rowsRead, rowsWritten, gained, 0, 0, stored.done);
                }
                partition.lastKey = stored.lastKey;
                partition.rowsDone = stored.rowsDone;
                partition.done = stored.done;
                partition.seq = stored.seq;
                partition.prefixDigest = stored.prefixDigest;
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
        String notRelayed = rowsFrom;
        if (rowsFrom == null) {
            BinaryRelay.Plan plan = BinaryRelay.plan(job, partition, source, target);
            if (plan.relay() != null) {
                runner.path(plan.path());
                relay(source, target, plan.relay());
                return;
            }
            notRelayed = plan.reason();
        }
        boolean bounded = partition.bounded();
        Extraction extraction = Extraction.describe(job, source);
        String notBinary = BinaryChunks.ruleOut(job, source, target);
        binary = notBinary == null ? BinaryChunks.describe(job, writer, target) : null;
        textWrites = false;
        if (binary != null) {
            String text = binary.textFormColumns();
            runner.path("binary rows (reason: " + notRelayed + (text.isEmpty() ? "" : "; by their text form: " + text) + ")");
        } else {
            runner.path("rows (reason: " + notBinary + ")");
        }
        if (binary != null) {
            // unpartitioned: the rows decode to the values the driver gives, so the resume digest is the same
            String sql = bounded ? BinaryRelay.copyOut(job, partition, isLast(), source, extraction.selected())
                    : "COPY (" + extraction.unpartitioned() + ") TO STDOUT (FORMAT binary)";
            SourceRows rows = null;
            try {
                rows = SourceRows.binary(source, sql, partition, extraction);
                streamRows(rows, extraction, target, pgTarget);
                rows.close();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(target, e);
                closeQuietly(rows, e);
                // a COPY that ended in an error can leave a session's protocol state behind: never reuse it
                Sessions.discard(job.sourcePool(), source);
                throw e;
            }
        } else {
            String sql = bounded ? extraction.partitioned(partition.lastKey != null, isLast()) : extraction.unpartitioned();
            try (PreparedStatement ps = source.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                currentQuery = ps;
                ps.setFetchSize(job.fetchSize());
                if (bounded) {
                    ps.setObject(1, BlockRanges.bindable(partition.lo));
                    ps.setObject(2, BlockRanges.bindable(partition.hi));
                    if (partition.lastKey != null) {
                        ps.setObject(3, BlockRanges.bindable(partition.lastKey));
                    }
                }
                try (SourceRows rows = SourceRows.jdbc(ps, partition, extraction)) {
                    streamRows(rows, extraction, target, pgTarget);
                }
            } finally {
                currentQuery = null;
            }
        }
        source.rollback(); // read-only: nothing to keep
    }

    /** The row path's loop: transform each row, end chunks between keys, commit each with its checkpoint. */
    private void streamRows(SourceRows rows, Extraction extraction, Connection target, boolean pgTarget)
            throws SQLException {
        boolean bounded = partition.bounded();
        Record.Schema schema = Record.schema(extraction.names());
        long skip = bounded ? 0 : partition.rowsDone; // unpartitioned: resume by position
        long skippedDigest = 0;
        // only an unpartitioned resume checks the digest of the rows it skips: bounded ones resume by key
        Chunk chunk = new Chunk(!bounded, bounded ? 0 : partition.prefixDigest, screening());
        Object previousKey = null;
        long equalRun = 0;
        long maxChunk = (long) job.chunkSize() * MAX_CHUNKS_OF_EQUAL_KEYS;
        while (rows.next()) {
            runner.checkNotStopped();
            Object[] values = rows.values();
            if (skip > 0) {
                skippedDigest = RowDigest.add(skippedDigest, values);
                if (--skip == 0) {
                    checkPrefix(skippedDigest);
                }
                continue;
            }
            Object key = rows.key();
            boolean sameKey = bounded && partition.keyType.same(key, previousKey);
            equalRun = sameKey ? equalRun + 1 : 1;
            // a chunk never splits rows with the same key (by value): resuming after it must not skip any
            if (chunk.sourceRows >= job.chunkSize() && !sameKey) {
                commitChunk(target, pgTarget, chunk, previousKey, false);
                chunk = new Chunk(chunk.digesting, chunk.digest, screening());
            } else if (chunk.sourceRows >= maxChunk) {
                throw equalKeysWithoutEnd(key, equalRun, maxChunk);
            }
            chunk.add(job.transform().apply(schema.record(values)), values,
                    bounded ? key : partition.rowsDone + chunk.sourceRows + 1);
            previousKey = key;
        }
        if (skip > 0) {
            throw notResumable(); // fewer rows than were committed: cannot be the same rows
        }
        commitChunk(target, pgTarget, chunk, previousKey, true);
    }

    private static void closeQuietly(SourceRows rows, Exception failure) {
        if (rows != null) {
            try {
                rows.close();
            } catch (SQLException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private EtlException equalKeysWithoutEnd(Object key, long equalRun, long maxChunk) {
        return new EtlException("job '" + job.name() + "' partition " + partition.id + " "
                + partition.range() + " stopped: a chunk reached " + maxChunk + " rows ("
                + MAX_CHUNKS_OF_EQUAL_KEYS + " times chunkSize) and the " + job.partitionColumn()
                + " value " + key + " still repeats (" + equalRun + " rows in a row so far). A chunk "
                + "never splits rows with the same key, since a resume continues after the last key, "
                + "so the chunk would grow without bound. Choose a partition column with (nearly) "
                + "unique values, or raise chunkSize above the longest run of equal values / "
                + MAX_CHUNKS_OF_EQUAL_KEYS);
    }

    /**
     * The binary relay: the partition's rows as binary COPY out of the source, straight into binary COPY
     * in the target, chunk by chunk, each chunk committed with its checkpoint through the same fence as
     * the row path. Tuples are framed only to read the key (the first field: a leading copy of the key,
     * dropped when forwarded, or the first data column itself, forwarded with the rest): a
     * chunk ends before a key that differs from the last one once it has chunkSize rows.
     */
    private void relay(Connection source, Connection target, BinaryRelay relay) throws SQLException {
        org.postgresql.copy.CopyOut out = source.unwrap(org.postgresql.PGConnection.class).getCopyAPI()
                .copyOut(relay.copyOut(job, partition, isLast(), source));
        BinaryTuples.Sink sink = null;
        try {
            BinaryTuples tuples = new BinaryTuples(out);
            KeyType keyType = partition.keyType;
            long rows = 0;
            long equalRun = 0;
            long chunkSize = job.relayChunkSize();
            long maxChunk = chunkSize * MAX_CHUNKS_OF_EQUAL_KEYS;
            // keys are compared in their binary form and decoded only where a chunk ends or the run stops
            while (tuples.tuple(keyType) >= 0) {
                runner.checkNotStopped();
                boolean sameKey = tuples.sameKey();
                equalRun = sameKey ? equalRun + 1 : 1;
                if (rows >= chunkSize && !sameKey) {
                    commitRelayed(target, relay, sink, rows, tuples.lastKey(keyType), false);
                    sink = null;
                    rows = 0;
                } else if (rows >= maxChunk) {
                    throw equalKeysWithoutEnd(tuples.currentKey(keyType), equalRun, maxChunk);
                }
                if (sink == null) {
                    sink = beginRelayed(target, relay);
                }
                if (relay.keyFirst) {
                    tuples.forwardWhole(sink);
                } else {
                    tuples.forwardRest(sink);
                }
                rows++;
            }
            tuples.finish();
            if (sink == null) {
                beginChunk(target);
            }
            commitRelayed(target, relay, sink, rows, tuples.lastKey(keyType), true);
            sink = null;
        } catch (SQLException | RuntimeException e) {
            if (sink != null) {
                sink.cancel();
            }
            rollbackQuietly(target, e);
            try {
                if (out.isActive()) {
                    out.cancelCopy();
                }
            } catch (SQLException cancelFailed) {
                e.addSuppressed(cancelFailed);
            }
            // a COPY that ended in an error can leave a session's protocol state behind: never reuse these two
            Sessions.discard(job.sourcePool(), source);
            Sessions.discard(job.targetPool(), target);
            throw e;
        }
        source.rollback(); // read-only: nothing to keep
    }

    /** A chunk's transaction: the lease, no timeouts, the fence; then its COPY (into the stage for an upsert). */
    private BinaryTuples.Sink beginRelayed(Connection target, BinaryRelay relay) throws SQLException {
        beginChunk(target);
        if (job.mode() == io.etlpool.etl.LoadMode.UPSERT) {
            try (Statement s = target.createStatement()) {
                writer.createStage(s);
            }
        }
        return new BinaryTuples.Sink(target.unwrap(org.postgresql.PGConnection.class).getCopyAPI()
                .copyIn(relay.copyIn(writer.copyInto())));
    }

    private void beginChunk(Connection target) throws SQLException {
        runner.checkNotStopped();
        runner.lease().ensureHeld();
        Sessions.noTimeouts(target);
        Checkpoints.lockAndCheck(target, job, partition);
    }

    /** Ends a relayed chunk's COPY and commits it with its checkpoint; a data error hands over to the row path. */
    private void commitRelayed(Connection target, BinaryRelay relay, BinaryTuples.Sink sink, long rows, Object lastKey, boolean done)
            throws SQLException {
        long merged = 0;
        if (sink != null) {
            try {
                sink.end();
                if (job.mode() == io.etlpool.etl.LoadMode.UPSERT) {
                    try (Statement s = target.createStatement()) {
                        merged = writer.stageDuplicates(s);
                        writer.mergeStage(s, relay.names);
                    }
                }
            } catch (SQLException e) {
                if (!SqlErrors.isRetryable(e) && RowErrors.isRowError(e)) {
                    sink.cancel();
                    rollbackQuietly(target, e);
                    throw new RelayRowError(e);
                }
                throw e;
            }
        }
        runner.lease().ensureHeld();
        runner.rejectLimit().check(this, rows, 0, done);
        saveAndCount(target, rows, rows - merged, 0, merged, lastKey, 0, done);
    }

    /** Unpartitioned resume: the rows skipped must be exactly the rows committed before. */
    private void checkPrefix(long skippedDigest) throws EtlException {
        if (skippedDigest != partition.prefixDigest) {
            throw notResumable();
        }
    }

    private EtlException notResumable() {
        return new EtlException("job '" + job.name() + "' cannot resume: it has no partition column, so it resumes "
                    + "by row position, but the first " + partition.rowsDone + " rows the source query returns now are "
                    + "not the rows committed before (the query's order is not total, e.g. ties or no ORDER BY, or "
                    + "the source changed). Nothing was loaded twice. Set a partitionColumn or ORDER BY a unique "
                    + "column, then start over: mode truncate-insert with --restart (runFromScratch()), or empty the "
                    + "target and restart");
    }

    private boolean isLast() {
        return partition.id == runner.partitionCount() - 1;
    }

    private void commitChunk(Connection target, boolean pg, Chunk chunk, Object lastKey, boolean done)
            throws SQLException {
        runner.checkNotStopped();
        runner.lease().ensureHeld();
        long rejected = 0;
        long merged = 0;
        try {
            if (pg) {
                Sessions.noTimeouts(target);
            }
            Checkpoints.lockAndCheck(target, job, partition);
            if (!chunk.rows.isEmpty()) {
                List<String> columns = chunk.columns();
                Savepoint before = target.setSavepoint();
                try {
                    if (chunk.screen == null) { // not binary, or the chunk began after the switch to COPY text
                        writer.write(target, columns, chunk.rows);
                    } else {
                        BinaryChunks.Misfit misfit = binary.write(target, chunk.screen, chunk.rows);
                        if (misfit != null) { // a value binary COPY cannot carry exactly: the chunk by COPY text
                            target.rollback(before);
                            runner.checkNotStopped(); // a stop that cancelled the abandoned COPY is not lost
                            if (misfit.sent()) { // found mid-COPY: no later chunk of this attempt costs that again
                                textWrites = true;
                                runner.path("rows by COPY text from a chunk on (reason: " + misfit.reason() + ")");
                            } else {
                                runner.path("rows by COPY text for some chunks (reason: " + misfit.reason() + ")");
                            }
                            writer.write(target, columns, chunk.rows);
                        }
                    }
                } catch (SQLException e) {
                    if (SqlErrors.isRetryable(e)) {
                        throw e;
                    }
                    if (!RowErrors.isRowError(e)) {
                        throw failed("stopped: the target refused the chunk for a reason that is not about a row "
                                + "(no row was set aside)", e);
                    }
                    target.rollback(before);
                    rejected = writeRowByRow(target, columns, chunk, e);
                }
                merged = Merges.count(job, columns, chunk.rows);
            }
            runner.rejectLimit().check(this, chunk.sourceRows, rejected, done);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(target, e);
            throw e;
        }
        saveAndCount(target, chunk.sourceRows, chunk.rows.size() - rejected - merged, rejected, merged, lastKey,
                chunk.digest, done);
    }

    /** Saves the chunk's checkpoint in its transaction, commits, and counts it. */
    private void saveAndCount(Connection target, long sourceRows, long written, long rejected, long merged,
                              Object lastKey, long digest, boolean done) throws SQLException {
        long rowsDone = partition.rowsDone + sourceRows;
        Object checkpointKey = partition.bounded() ? (lastKey != null ? lastKey : partition.lastKey) : null;
        try {
            Checkpoints.save(target, job, partition, checkpointKey, rowsDone, digest, done);
            target.commit();
        } catch (SQLException e) {
            rollbackQuietly(target, e);
            throw e;
        }
        partition.lastKey = checkpointKey;
        partition.rowsDone = rowsDone;
        partition.prefixDigest = digest;
        partition.seq++;
        partition.done = done;
        rowsRead += sourceRows;
        rowsWritten += written;
        rowsRejected += rejected;
        rowsMerged += merged;
        if (merged > 0) {
            LOG.warn("job {} partition {}: {} row(s) of a chunk had a key that another row of the same chunk had; "
                    + "the last one won (the source has duplicate keys: {})", job.name(), partition.id, merged, job.key());
        }
        runner.committed(partition, sourceRows, rowsRead, rowsWritten, written, rejected, merged, done);
        if (!done) {
            runner.betweenChunks(); // adaptive parallelism may pause this stream here, between transactions
        }
    }

    String describe() {
        return "job '" + job.name() + "' partition " + partition.id + " " + partition.range();
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
                if (!RowErrors.isRowError(e)) {
                    throw failed("stopped: writing a row failed for a reason that is not about the row "
                            + "(no row was set aside)", e);
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
        return new EtlException(describe() + " "
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

    private static void rollbackQuietly(Connection c, Exception failure) {
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

    /** A relayed chunk failed on its data: the partition goes on by the row path from its checkpoint. */
    private static final class RelayRowError extends SQLException {
        RelayRowError(SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
        }
    }

    /** The rows of one chunk, after the transform, with the source key each came from. */
    private static final class Chunk {
        final List<Object[]> rows = new ArrayList<>();
        final List<Object> keys = new ArrayList<>();
        List<String> columns;
        long sourceRows;
        /** Whether {@link #digest} is kept: it costs a hash of every value of every row. */
        final boolean digesting;
        /** Digest of the source rows of the partition up to and including this chunk; 0 when not digesting. */
        long digest;

        /** Where the chunk goes by binary COPY: its columns' encoders; else null. */
        private final BinaryChunks binary;
        /** The cheap test of the chunk's values for binary COPY, made with its first row; null when not binary. */
        BinaryChunks.Screen screen;

        Chunk(boolean digesting, long digestBefore, BinaryChunks binary) {
            this.digesting = digesting;
            this.digest = digestBefore;
            this.binary = binary;
        }

        void add(List<Record> out, Object[] sourceRow, Object key) throws SQLException {
            sourceRows++;
            if (digesting) {
                digest = RowDigest.add(digest, sourceRow);
            }
            for (Record r : out) {
                if (columns == null) {
                    columns = r.columns();
                    screen = binary == null ? null : binary.screen(columns);
                } else if (!columns.equals(r.columns())) {
                    throw new EtlException("the transform produced rows with different columns: " + columns + " and "
                            + r.columns() + "; every row a job writes needs the same columns");
                }
                Object[] row = r.toArray();
                rows.add(row);
                keys.add(key);
                if (screen != null) {
                    screen.add(row);
                }
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

        /**
         * Cancels what a connection runs now: PostgreSQL's cancel request, else the statement's cancel().
         * Best effort: a failure means there was nothing left to cancel.
         */
        static void cancel(Connection c, Statement running) {
            try {
                if (!c.isClosed() && isPostgres(c)) {
                    c.unwrap(org.postgresql.PGConnection.class).cancelQuery();
                } else if (running != null) {
                    running.cancel();
                }
            } catch (SQLException | RuntimeException e) {
                LOG.debug("cancel failed: {}", e.toString());
            }
        }

        /** Takes a connection out of its pool for good (a session that must not be reused), or closes it. */
        static void discard(io.etlpool.EtlPool pool, Connection c) {
            try {
                pool.evict(c);
            } catch (SQLException | RuntimeException e) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // already gone
                }
            }
        }

        /** For this transaction only (SET LOCAL): the pooled session keeps its own settings afterwards. */
        static void noTimeouts(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL statement_timeout = 0; SET LOCAL idle_in_transaction_session_timeout = 0");
            }
        }
    }
}
