package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;
import io.etlpool.etl.JobDefinitionException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * The end of a new increment, read on the source before the run's snapshot is taken: every row that can
 * still commit later has a cursor at or past it (docs/ARCHITECTURE.md, "Incremental loads").
 *
 * <ul>
 * <li>Timestamp and date cursors on a PostgreSQL primary: the earlier of the source's clock and the start of
 * the oldest transaction in progress in the source database ({@code pg_stat_activity.xact_start}), less
 * {@link #MARGIN}. A row written by a transaction carries a cursor at or after that transaction's start.</li>
 * <li>Integer cursors (sequences) on a PostgreSQL primary: the largest value committed when a probe read it
 * (this run's or the previous run's), used only when every transaction in progress started after that probe:
 * a sequence hands out larger values than any it handed out before, so such transactions commit only larger ones.
 * When neither probe qualifies (a first run, or a source that was busy at both probes), the run waits up to
 * {@link #SETTLE} for the transactions in progress at this run's probe to end, instead of loading nothing.</li>
 * <li>Anywhere else (another database, a standby, sessions this user cannot see): the largest cursor value,
 * with the job's lookback re-reading below the watermark; without a lookback the job is refused.</li>
 * </ul>
 */
final class CursorBound {

    /**
     * Taken off the bound: covers the instant between a transaction taking its start time and showing it in
     * pg_stat_activity, and small steps of the server's clock.
     */
    static final Duration MARGIN = Duration.ofSeconds(1);

    /**
     * How long an integer-cursor run waits for the transactions in progress at its probe to end. On a busy
     * source some transaction is always in progress when the probe is read, so without the wait a first run
     * would load nothing; the short transactions of such a source end well inside it, a long one holds.
     */
    static final Duration SETTLE = Duration.ofSeconds(5);
    private static final long SETTLE_POLL_MS = 50;

    /** Exclusive end of the increment; null: the source has no rows to bound. */
    final Object high;
    /** Why the bound is where it is, for the status and the result. */
    final String note;
    /** This run's probe (integer cursors on PostgreSQL), kept for the next run. */
    final OffsetDateTime probeAt;
    final Object probeMax;

    /** Held only by transactions in progress at this run's probe: worth waiting for them to end. */
    private final boolean waitable;

    private CursorBound(Object high, String note, OffsetDateTime probeAt, Object probeMax) {
        this(high, note, probeAt, probeMax, false);
    }

    private CursorBound(Object high, String note, OffsetDateTime probeAt, Object probeMax, boolean waitable) {
        this.high = high;
        this.note = note;
        this.probeAt = probeAt;
        this.probeMax = probeMax;
        this.waitable = waitable;
    }

    /** Sleeps one poll of the settle wait; false when interrupted (the flag stays set). */
    private static boolean pause() {
        try {
            Thread.sleep(SETTLE_POLL_MS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The cursor's kind; refuses, before any row moves, a cursor that may be NULL or has no usable order. */
    static KeyType cursorType(EtlJob job, Connection source) throws SQLException {
        String cursor = job.incremental().cursor();
        ResultSetMetaData md;
        try (Statement s = source.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + column(job) + " FROM (" + job.query() + ") src WHERE 1 = 0")) {
            md = rs.getMetaData();
            KeyType type;
            try {
                type = KeyType.of(md.getColumnTypeName(1), md.getColumnType(1), cursor);
            } catch (IllegalArgumentException e) {
                throw new JobDefinitionException("job '" + job.name() + "': incremental cursor " + cursor + " is of type "
                        + md.getColumnTypeName(1) + ", which has no order a watermark can follow. The cursor must be "
                        + "an integer, date or timestamp column that every write sets anew (e.g. updated_at "
                        + "timestamptz NOT NULL DEFAULT now(), set again by an update trigger, or an id from a sequence)");
            }
            if (nullable(job, source, md.isNullable(1))) {
                throw new JobDefinitionException("job '" + job.name() + "': incremental cursor " + cursor + " may be "
                        + "NULL (the source does not declare it NOT NULL), and a row whose cursor is NULL lies past no "
                        + "watermark: it would never be loaded. Declare the column NOT NULL in its table (fill its "
                        + "NULLs, then ALTER TABLE ... ALTER COLUMN " + cursor + " SET NOT NULL), or choose a cursor that is");
            }
            return type;
        } catch (SQLException e) {
            if ("42703".equals(e.getSQLState()) || "42S22".equals(e.getSQLState())) {
                throw new JobDefinitionException("job '" + job.name() + "': the source query has no column " + cursor
                        + " for the incremental cursor: " + firstLine(e.getMessage()));
            }
            throw e;
        } finally {
            if (!source.getAutoCommit()) {
                source.rollback();
            }
        }
    }

    /**
     * Whether the cursor may be NULL. Some drivers (H2) cannot tell through the subquery the check wraps the
     * query in: then the query itself is described (prepared, not run).
     */
    private static boolean nullable(EtlJob job, Connection source, int wrapped) throws SQLException {
        if (wrapped == ResultSetMetaData.columnNoNulls) {
            return false;
        }
        String name = Sql.name(job.incremental().cursor(), "incremental cursor");
        try (PreparedStatement ps = source.prepareStatement(job.query())) {
            ResultSetMetaData md = ps.getMetaData();
            for (int i = 1; md != null && i <= md.getColumnCount(); i++) {
                if (md.getColumnLabel(i).equalsIgnoreCase(name)) {
                    return md.isNullable(i) != ResultSetMetaData.columnNoNulls;
                }
            }
        }
        return true;
    }

    /**
     * The end of a new increment that starts at {@code low} (null: at the first row). {@code previous} is the
     * job's stored row (its last probe), or null. The source connection is in auto-commit: each statement
     * reads its own, newer snapshot, in the order the argument needs.
     */
    static CursorBound compute(EtlJob job, Connection source, KeyType type, Object low, IncrementTable.Row previous)
            throws SQLException {
        String unseen = PartitionTask.Sessions.isPostgres(source) ? standby(source) : "the source is not PostgreSQL";
        Probe probe = unseen == null && type == KeyType.INTEGER ? Probe.read(job, source, type) : null;
        SourceActivity activity = unseen == null ? SourceActivity.read(source) : null;
        if (activity != null) {
            unseen = activity.unseen;
        }
        if (unseen != null) {
            return byLookback(job, source, type, unseen);
        }
        if (activity.prepared != null) {
            return hold(low, activity.prepared);
        }
        if (type == KeyType.INTEGER) {
            CursorBound bound = bySequence(type, low, probe, previous, activity);
            long deadline = System.nanoTime() + SETTLE.toNanos();
            while (bound.waitable && System.nanoTime() - deadline < 0 && pause()) {
                activity = SourceActivity.read(source);
                if (activity.unseen != null || activity.prepared != null) {
                    break; // what the first read saw is what the run goes by
                }
                bound = bySequence(type, low, probe, previous, activity);
            }
            return bound;
        }
        boolean clockFirst = activity.oldestStart == null || !activity.oldestStart.isBefore(activity.clock);
        OffsetDateTime bound = (clockFirst ? activity.clock : activity.oldestStart).minus(MARGIN);
        Object high = inType(source, type, bound);
        String note = clockFirst ? "the source's clock less " + MARGIN.toMillis() + " ms"
                : "held back by the transaction of pid " + activity.oldestPid + ", in progress since "
                + activity.oldestStart + " (less " + MARGIN.toMillis() + " ms): its rows load in a later run";
        return atLeast(low, type, high, note, null, null);
    }

    /** Integer cursors: the newest probe that every transaction in progress started after. */
    private static CursorBound bySequence(KeyType type, Object low, Probe now, IncrementTable.Row previous,
                                          SourceActivity activity) {
        Probe chosen = null;
        for (Probe p : new Probe[] {now, previous == null || previous.type != type ? null
                : new Probe(previous.probeAt, previous.probeMax)}) {
            if (p != null && p.at != null && p.max != null && (activity.oldestStart == null
                    || !activity.oldestStart.isBefore(p.at.plus(MARGIN)))) {
                chosen = p;
                break;
            }
        }
        if (chosen == null) {
            String why = now.max == null ? "the source has no rows yet"
                    : "held back by the transaction of pid " + activity.oldestPid + ", in progress since "
                    + activity.oldestStart + ", older than the last probe of the sequence's values (waited up to "
                    + SETTLE.toSeconds() + " s for it to end)";
            CursorBound held = hold(low, why);
            return new CursorBound(held.high, held.note, now.at, now.max, now.max != null);
        }
        Object high = type.fromLong(type.toLong(chosen.max) + 1);
        return atLeast(low, type, high, "the largest value committed at " + chosen.at + " (" + chosen.max
                + "); every transaction in progress started later", now.at, now.max);
    }

    /** Another database, or a PostgreSQL whose transactions in progress cannot be seen: needs a lookback. */
    private static CursorBound byLookback(EtlJob job, Connection source, KeyType type, String unseen) throws SQLException {
        Duration lookback = job.incremental().lookback();
        if (lookback.isZero() || type == KeyType.INTEGER) {
            throw new JobDefinitionException("job '" + job.name() + "': etlpool cannot bound this increment below what "
                    + "transactions still in progress on the source may commit: " + unseen + ". "
                    + (type == KeyType.INTEGER ? "An integer cursor needs a PostgreSQL primary whose sessions this user "
                    + "can see; use a timestamp cursor with a lookback instead"
                    : "Set incremental.lookback to the longest a transaction there may take to commit (e.g. 10m), with "
                    + "mode upsert and a key: each run then reads again the rows up to that far below the watermark"));
        }
        Object max;
        try (Statement s = source.createStatement();
             ResultSet rs = s.executeQuery("SELECT max(" + column(job) + ") FROM (" + job.query() + ") src")) {
            rs.next();
            max = type.read(rs, 1);
        }
        Object high = max == null ? null : type.fromLong(type.toLong(max) + 1);
        return new CursorBound(high, "the largest cursor value; " + unseen + ", so each run reads again "
                + lookback + " below the watermark", null, null);
    }

    /** No progress: the increment reads nothing and the watermark stays. */
    private static CursorBound hold(Object low, String why) {
        return new CursorBound(low, why + "; the watermark stays until it ends", null, null);
    }

    /** A bound is never below the increment's start (a clock stepped back, an old transaction): then it holds. */
    private static CursorBound atLeast(Object low, KeyType type, Object high, String note, OffsetDateTime probeAt,
                                       Object probeMax) {
        if (low != null && type.compare(high, low) < 0) {
            return new CursorBound(low, note + "; below the watermark, which stays", probeAt, probeMax);
        }
        return new CursorBound(high, note, probeAt, probeMax);
    }

    /** A standby does not show the primary's transactions in its pg_stat_activity. */
    private static String standby(Connection source) throws SQLException {
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1) ? "the source is a standby, which does not see the primary's transactions" : null;
        }
    }

    /**
     * A PostgreSQL instant in the cursor's type: a timestamp or date without time zone as the server's default
     * TimeZone writes it (the writers' sessions must use that zone).
     */
    private static Object inType(Connection source, KeyType type, OffsetDateTime bound) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement("SELECT b, b AT TIME ZONE z.tz, (b AT TIME ZONE z.tz)::date "
                + "FROM (SELECT CAST(? AS timestamptz) AS b) x, (SELECT reset_val AS tz FROM pg_settings WHERE name = "
                + "'TimeZone') z")) {
            ps.setObject(1, bound);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return type.read(rs, type == KeyType.TIMESTAMPTZ ? 1 : type == KeyType.TIMESTAMP ? 2 : 3);
            }
        }
    }

    static String column(EtlJob job) {
        return "src." + Sql.sourceColumn(job.incremental().cursor());
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.split("\n")[0];
    }

    /** The largest cursor value committed, and when (the source's clock, after the statement's snapshot). */
    private static final class Probe {
        final OffsetDateTime at;
        final Object max;

        Probe(OffsetDateTime at, Object max) {
            this.at = at;
            this.max = max;
        }

        static Probe read(EtlJob job, Connection source, KeyType type) throws SQLException {
            try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("SELECT max(" + column(job)
                    + "), clock_timestamp() FROM (" + job.query() + ") src")) {
                rs.next();
                return new Probe(rs.getObject(2, OffsetDateTime.class), type.read(rs, 1));
            }
        }
    }
}
