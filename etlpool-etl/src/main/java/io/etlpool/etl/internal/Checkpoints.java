package io.etlpool.etl.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The table {@code etlpool_checkpoint} in the target: one row per job and partition with its range and
 * how far it got. A chunk's rows and its checkpoint update commit in one transaction.
 */
final class Checkpoints {

    static final String TABLE = "etlpool_checkpoint";

    private Checkpoints() {
    }

    static void createIfMissing(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (job VARCHAR(100) NOT NULL, part INTEGER NOT NULL, "
                    + "key_type VARCHAR(20), range_lo VARCHAR(100), range_hi VARCHAR(100), last_key VARCHAR(100), "
                    + "rows_done BIGINT NOT NULL, done BOOLEAN NOT NULL, updated_at TIMESTAMP, PRIMARY KEY (job, part))");
        }
    }

    /** The stored plan of a job with its progress; empty when the job has none. */
    static List<Partition> load(Connection c, String job) throws SQLException {
        List<Partition> plan = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT part, key_type, range_lo, range_hi, last_key, rows_done, "
                + "done FROM " + TABLE + " WHERE job = ? ORDER BY part")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    KeyType kt = type == null ? null : KeyType.valueOf(type);
                    Partition p = new Partition(rs.getInt(1), kt, kt == null ? null : kt.parse(rs.getString(3)),
                            kt == null ? null : kt.parse(rs.getString(4)));
                    String last = rs.getString(5);
                    p.lastKey = last == null || kt == null ? null : kt.parse(last);
                    p.rowsDone = rs.getLong(6);
                    p.done = rs.getBoolean(7);
                    p.resumed = p.rowsDone > 0 || p.done;
                    plan.add(p);
                }
            }
        }
        return plan;
    }

    static void delete(Connection c, String job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE job = ?")) {
            ps.setString(1, job);
            ps.executeUpdate();
        }
    }

    static void insertPlan(Connection c, String job, List<Partition> plan) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (job, part, key_type, range_lo, "
                + "range_hi, last_key, rows_done, done, updated_at) VALUES (?, ?, ?, ?, ?, NULL, 0, ?, CURRENT_TIMESTAMP)")) {
            for (Partition p : plan) {
                ps.setString(1, job);
                ps.setInt(2, p.id);
                ps.setString(3, p.bounded() ? p.keyType.name() : null);
                ps.setString(4, p.bounded() ? p.keyType.format(p.lo) : null);
                ps.setString(5, p.bounded() ? p.keyType.format(p.hi) : null);
                ps.setBoolean(6, p.done);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Records a committed chunk; part of the chunk's transaction. */
    static void save(Connection c, String job, Partition p, Object lastKey, long rowsDone, boolean done)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET last_key = ?, rows_done = ?, "
                + "done = ?, updated_at = CURRENT_TIMESTAMP WHERE job = ? AND part = ?")) {
            ps.setString(1, lastKey == null ? null : p.keyType.format(lastKey));
            ps.setLong(2, rowsDone);
            ps.setBoolean(3, done);
            ps.setString(4, job);
            ps.setInt(5, p.id);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("the checkpoint of job " + job + " partition " + p.id + " is missing from "
                        + TABLE + ": was it deleted while the job ran?", "55000");
            }
        }
    }
}
