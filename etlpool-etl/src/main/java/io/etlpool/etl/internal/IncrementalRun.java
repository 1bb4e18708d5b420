package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;
import io.etlpool.etl.Incremental;
import io.etlpool.etl.JobDefinitionException;
import io.etlpool.etl.LoadMode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Function;

/**
 * The incremental side of a run. Each run works on one <em>increment</em>: a fixed cursor interval
 * [start, end), recorded in {@link IncrementTable} before any of its rows move, whose start is the previous
 * increment's end (less the lookback) and whose end is the {@link CursorBound} read before the run's
 * snapshot. The increment is an ordinary run (partitions, chunks, fence, checkpoints) of the job's query cut
 * to that interval; an interrupted one resumes with the same bounds. Only once every partition is done does
 * the end become the watermark, in one transaction that also removes soft-deleted rows, and that the next
 * run repeats if this one stopped before it. So partitions that commit out of order never move the
 * watermark past rows not yet loaded.
 */
final class IncrementalRun {

    private static final String ALIAS = "etlpool_increment";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter TIMESTAMPTZ = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx");

    private final EtlJob job;
    private final Function<String, EtlJob> withQuery;
    private final boolean fromScratch;
    private IncrementTable.Row increment;
    private boolean resumed;
    private long softDeleted;

    IncrementalRun(EtlJob job, Function<String, EtlJob> withQuery, boolean fromScratch) {
        this.job = job;
        this.withQuery = withQuery;
        this.fromScratch = fromScratch;
    }

    /** The incremental part of the job's definition (empty for other jobs); lookback is not part of it. */
    static String identity(EtlJob job) {
        Incremental inc = job.incremental();
        if (inc == null) {
            return "";
        }
        return "cursor " + Sql.canonical(inc.cursor(), "incremental cursor", 1)
                + (inc.softDelete() == null ? "" : ", soft delete " + Sql.canonical(inc.softDelete(), "softDelete", 1));
    }

    /**
     * Under the run's lease and before its snapshot: checks the cursor, completes an increment whose
     * partitions are all done, and resumes the unfinished increment or records a new one. Returns the job the
     * run works on: this job, its query cut to the increment.
     */
    EtlJob begin(JobRunner runner) throws SQLException {
        try (ConnectionPair pair = ConnectionPair.open(job)) {
            Connection target = pair.target();
            Connection source = pair.source();
            source.setAutoCommit(true);
            target.setAutoCommit(false);
            try {
                KeyType type = CursorBound.cursorType(job, source);
                if (type == KeyType.INTEGER && !job.incremental().lookback().isZero()) {
                    throw new JobDefinitionException("job '" + job.name() + "': lookback is a time, and cursor "
                            + job.incremental().cursor() + " is an integer: drop lookback");
                }
                IncrementTable.createIfMissing(target, job);
                Checkpoints.createIfMissing(target, job);
                checkSoftDelete(target, source);
                if (fromScratch) {
                    if (job.mode() == LoadMode.INSERT) {
                        JobRunner.refuseRestartIntoRows(target, job);
                    }
                    Checkpoints.delete(target, job);
                    IncrementTable.delete(target, job);
                } else {
                    Optional<String> stored = Checkpoints.storedDefinition(target, job);
                    if (stored.isPresent()) {
                        runner.checkSameJob(stored.get());
                    }
                }
                IncrementTable.Row row = IncrementTable.read(target, job, false); // the lease keeps other runs out
                if (row != null && row.type != type) {
                    throw new JobDefinitionException("job '" + job.name() + "': cursor " + job.incremental().cursor()
                            + " was " + row.type + " when the watermark was written and is " + type + " now; start "
                            + "over with `etlpool reset JOB_FILE` (EtlJob.reset())");
                }
                if (row != null && !row.done) {
                    if (!partitionsComplete(target)) {
                        target.commit();
                        increment = row;
                        resumed = true;
                        return cut(row);
                    }
                    complete(target, row);
                }
                // no transaction of this run is open on the source's server while the bound is read
                target.commit();
                increment = next(source, target, type, row);
                target.commit();
                return cut(increment);
            } catch (SQLException | RuntimeException e) {
                target.rollback();
                throw e;
            }
        }
    }

    /** After every partition of the increment is done: its end becomes the watermark. */
    void finish() throws SQLException {
        try (Connection target = job.targetPool().getConnection()) {
            target.setAutoCommit(false);
            try {
                IncrementTable.Row row = IncrementTable.read(target, job, true);
                if (row != null && row.number == increment.number && !row.done) {
                    if (!partitionsComplete(target)) {
                        throw new EtlException("job '" + job.name() + "': increment " + row.number + " ended with "
                                + "partitions not done; run the job again to resume it");
                    }
                    complete(target, row);
                }
                target.commit();
            } catch (SQLException | RuntimeException e) {
                target.rollback();
                throw e;
            }
        }
    }

    /** For the run's result: which increment it loaded, and why it ends where it does. */
    String describe() {
        if (increment == null) {
            return null;
        }
        KeyType t = increment.type;
        return "increment " + increment.number + (resumed ? " (resumed)" : "") + " of " + job.incremental().cursor()
                + ": [" + (increment.readFrom == null ? "first row" : t.format(increment.readFrom)) + ", "
                + (increment.readTo == null ? "no rows yet" : t.format(increment.readTo)) + ")"
                + (increment.note == null ? "" : ", ended by " + increment.note)
                + (softDeleted > 0 ? "; " + softDeleted + " soft-deleted row(s) removed" : "");
    }

    /** A new increment from the watermark to the bound; the old checkpoints go in the same transaction. */
    private IncrementTable.Row next(Connection source, Connection target, KeyType type, IncrementTable.Row previous)
            throws SQLException {
        Object low = previous == null ? null : previous.watermark;
        CursorBound bound = CursorBound.compute(job, source, type, low, previous);
        IncrementTable.Row r = new IncrementTable.Row();
        r.type = type;
        r.number = previous == null ? 1 : previous.number + 1;
        r.watermark = low;
        r.readFrom = low == null ? null : lookBack(type, low, job.incremental().lookback());
        r.readTo = bound.high == null ? low : bound.high;
        r.done = false;
        r.probeAt = bound.probeAt != null ? bound.probeAt : previous == null ? null : previous.probeAt;
        r.probeMax = bound.probeAt != null ? bound.probeMax : previous == null ? null : previous.probeMax;
        r.note = bound.note;
        Checkpoints.delete(target, job);
        IncrementTable.save(target, job, r);
        return r;
    }

    /** Soft-deleted rows out of the target, and the watermark moved: one transaction. */
    private void complete(Connection target, IncrementTable.Row row) throws SQLException {
        String column = job.incremental().softDelete();
        if (column != null) {
            String marked = Sql.quote(Sql.name(column, "softDelete"))
                    + ("boolean".equals(targetType(target, column)) ? " IS TRUE" : " IS NOT NULL");
            try (Statement s = target.createStatement()) {
                softDeleted += s.executeUpdate("DELETE FROM " + Sql.table(job.table()) + " WHERE " + marked);
            }
        }
        IncrementTable.complete(target, job, row.number);
        row.done = true;
        row.watermark = row.readTo == null ? row.watermark : row.readTo;
    }

    /** Whether the job's plan exists and every partition of it is done. */
    private boolean partitionsComplete(Connection target) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT count(*), count(*) FILTER (WHERE done) FROM "
                + Checkpoints.table(job) + " WHERE job = ?")) {
            ps.setString(1, job.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0 && rs.getLong(1) == rs.getLong(2);
            }
        }
    }

    /** The soft-delete column must be in the target (or, when it is to be created, in the source's rows). */
    private void checkSoftDelete(Connection target, Connection source) throws SQLException {
        String column = job.incremental().softDelete();
        if (column == null) {
            return;
        }
        boolean found;
        if (TableCreator.exists(target, job.table())) {
            found = targetType(target, column) != null;
        } else {
            try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(Extraction.shape(job))) {
                found = Extraction.labels(rs.getMetaData(), 1, source.getMetaData().storesUpperCaseIdentifiers())
                        .contains(Sql.name(column, "softDelete"));
            }
        }
        if (!found) {
            throw new JobDefinitionException("job '" + job.name() + "': softDelete column " + column + " is not a column "
                    + "of the target table " + job.table() + "; map the source's delete mark to it (columns)");
        }
    }

    private String targetType(Connection target, String column) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT format_type(atttypid, atttypmod) FROM "
                + "pg_catalog.pg_attribute WHERE attrelid = to_regclass(?) AND attname = ? AND attnum > 0 AND NOT "
                + "attisdropped")) {
            ps.setString(1, Sql.table(job.table()));
            ps.setString(2, Sql.name(column, "softDelete"));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The job with its query cut to the increment's interval (literals: COPY takes no parameters). */
    private EtlJob cut(IncrementTable.Row r) {
        String c = ALIAS + "." + Sql.sourceColumn(job.incremental().cursor());
        String where = r.readTo == null ? "1 = 0"
                : (r.readFrom == null ? "" : c + " >= " + literal(r.type, r.readFrom) + " AND ")
                + c + " < " + literal(r.type, r.readTo);
        return withQuery.apply("SELECT * FROM (" + job.query() + ") " + ALIAS + " WHERE " + where);
    }

    /** A cursor value as an SQL literal of its type, in standard SQL that PostgreSQL and others read. */
    static String literal(KeyType type, Object v) {
        switch (type) {
            case INTEGER:
                return Long.toString(((Number) v).longValue());
            case DATE:
                return "DATE '" + v + "'";
            case TIMESTAMP:
                return "TIMESTAMP '" + TIMESTAMP.format((LocalDateTime) v) + "'";
            default:
                return "TIMESTAMP WITH TIME ZONE '"
                        + TIMESTAMPTZ.format(((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC)) + "'";
        }
    }

    /** The watermark less the lookback; a date cursor goes back whole days, rounded up. */
    private static Object lookBack(KeyType type, Object low, Duration lookback) {
        if (lookback.isZero()) {
            return low;
        }
        long units = type == KeyType.DATE ? (lookback.toSeconds() + 86_399) / 86_400
                : lookback.toNanos() / 1_000 + (lookback.toNanos() % 1_000 == 0 ? 0 : 1);
        return type.fromLong(type.toLong(low) - units);
    }
}
