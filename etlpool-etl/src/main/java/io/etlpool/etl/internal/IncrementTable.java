package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;

/**
 * The table {@code etlpool_increment} in the target, next to the checkpoints: one row per incremental job
 * with its watermark (the end of the last completed increment) and its current (or last) increment: the
 * cursor interval it reads, recorded before any of its rows move, and whether it is done.
 */
final class IncrementTable {

    static final String TABLE = "etlpool_increment";

    private IncrementTable() {
    }

    /** A job's row. Bounds are stored as text, in the cursor's {@link KeyType}. */
    static final class Row {
        KeyType type;
        /** Increments started so far; the current one's number. */
        long number;
        /** The end (exclusive) of the last completed increment; null before the first completes. */
        Object watermark;
        /** The current increment reads {@code readFrom <= cursor < readTo}; null readFrom: from the first row. */
        Object readFrom;
        /** Null: the source had no rows to bound (the increment reads nothing). */
        Object readTo;
        boolean done;
        OffsetDateTime startedAt;
        OffsetDateTime finishedAt;
        /** Integer cursors on PostgreSQL: when the run read probeMax, the largest cursor value committed then. */
        OffsetDateTime probeAt;
        Object probeMax;
        /** Why the increment ends where it does. */
        String note;
    }

    static String table(EtlJob job) {
        return Sql.table(Checkpoints.written(job, TABLE));
    }

    static void createIfMissing(Connection c, EtlJob job) throws SQLException {
        Checkpoints.createOwnTable(c, job, "increment table", TABLE, "job VARCHAR(100) PRIMARY KEY, "
                + "cursor_type VARCHAR(20) NOT NULL, number BIGINT NOT NULL, watermark VARCHAR(100), "
                + "read_from VARCHAR(100), read_to VARCHAR(100), done BOOLEAN NOT NULL, started_at TIMESTAMPTZ, "
                + "finished_at TIMESTAMPTZ, probe_at TIMESTAMPTZ, probe_max VARCHAR(100), note TEXT");
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    /** The job's row, locked for the transaction when asked; null when it has none. */
    static Row read(Connection c, EtlJob job, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT cursor_type, number, watermark, read_from, read_to, "
                + "done, started_at, finished_at, probe_at, probe_max, note FROM " + table(job) + " WHERE job = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, job.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Row r = new Row();
                r.type = KeyType.valueOf(rs.getString(1));
                r.number = rs.getLong(2);
                r.watermark = parse(r.type, rs.getString(3));
                r.readFrom = parse(r.type, rs.getString(4));
                r.readTo = parse(r.type, rs.getString(5));
                r.done = rs.getBoolean(6);
                r.startedAt = rs.getObject(7, OffsetDateTime.class);
                r.finishedAt = rs.getObject(8, OffsetDateTime.class);
                r.probeAt = rs.getObject(9, OffsetDateTime.class);
                r.probeMax = parse(r.type, rs.getString(10));
                r.note = rs.getString(11);
                return r;
            }
        }
    }

    /** Records a new increment (the job's row inserted or replaced); part of the caller's transaction. */
    static void save(Connection c, EtlJob job, Row r) throws SQLException {
        String values = "cursor_type = ?, number = ?, watermark = ?, read_from = ?, read_to = ?, done = ?, "
                + "started_at = CURRENT_TIMESTAMP, finished_at = NULL, probe_at = ?, probe_max = ?, note = ?";
        try (PreparedStatement up = c.prepareStatement("UPDATE " + table(job) + " SET " + values + " WHERE job = ?")) {
            int i = bind(up, r);
            up.setString(i, job.name());
            if (up.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement in = c.prepareStatement("INSERT INTO " + table(job) + " (cursor_type, number, watermark, "
                + "read_from, read_to, done, probe_at, probe_max, note, job, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?, CURRENT_TIMESTAMP)")) {
            int i = bind(in, r);
            in.setString(i, job.name());
            in.executeUpdate();
        }
    }

    private static int bind(PreparedStatement ps, Row r) throws SQLException {
        ps.setString(1, r.type.name());
        ps.setLong(2, r.number);
        ps.setString(3, format(r.type, r.watermark));
        ps.setString(4, format(r.type, r.readFrom));
        ps.setString(5, format(r.type, r.readTo));
        ps.setBoolean(6, r.done);
        if (r.probeAt == null) {
            ps.setNull(7, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(7, r.probeAt);
        }
        ps.setString(8, format(r.type, r.probeMax));
        ps.setString(9, r.note);
        return 10;
    }

    /** The increment is complete: its end becomes the watermark. Idempotent; part of the caller's transaction. */
    static void complete(Connection c, EtlJob job, long number) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table(job) + " SET watermark = coalesce(read_to, "
                + "watermark), done = true, finished_at = CURRENT_TIMESTAMP WHERE job = ? AND number = ? AND NOT done")) {
            ps.setString(1, job.name());
            ps.setLong(2, number);
            ps.executeUpdate();
        }
    }

    /** Removes the job's row, if the table exists: its next run starts with no watermark. */
    static int delete(Connection c, EtlJob job) throws SQLException {
        if (!TableCreator.exists(c, Checkpoints.written(job, TABLE))) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table(job) + " WHERE job = ?")) {
            ps.setString(1, job.name());
            return ps.executeUpdate();
        }
    }

    private static Object parse(KeyType type, String text) {
        return text == null ? null : type.parse(text);
    }

    private static String format(KeyType type, Object value) {
        return value == null ? null : type.format(value);
    }
}
