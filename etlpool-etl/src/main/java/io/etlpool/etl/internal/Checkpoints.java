package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;

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

    /** The checkpoint table's name as SQL: in the job's checkpointSchema, or the first on the search path. */
    static String table(EtlJob job) {
        return Sql.table(writtenTable(job));
    }

    private static String writtenTable(EtlJob job) {
        return job.checkpointSchema() == null ? TABLE
                : Sql.quote(Sql.name(job.checkpointSchema(), "checkpointSchema")) + "." + TABLE;
    }

    /**
     * Creates the table unless it is there (so a user who may not create tables can use one made for it);
     * a user who may not create it is told which setting moves it.
     */
    static void createIfMissing(Connection c, EtlJob job) throws SQLException {
        if (TableCreator.exists(c, writtenTable(job))) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table(job) + " (job VARCHAR(100) NOT NULL, part INTEGER NOT NULL, "
                    + "key_type VARCHAR(20), range_lo VARCHAR(100), range_hi VARCHAR(100), last_key VARCHAR(100), "
                    + "rows_done BIGINT NOT NULL, done BOOLEAN NOT NULL, updated_at TIMESTAMP, PRIMARY KEY (job, part))");
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                throw new EtlException("job '" + job.name() + "': cannot create the checkpoint table " + table(job)
                        + (job.checkpointSchema() == null ? " in the first schema of the target's search path" : "")
                        + " (" + e.getMessage().split("\n")[0] + "). Set checkpointSchema to a schema this user may "
                        + "create tables in, or have the table created for it", e);
            }
            throw e;
        }
    }

    /** The stored plan of a job with its progress; empty when the job has none. */
    static List<Partition> load(Connection c, EtlJob job) throws SQLException {
        List<Partition> plan = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT part, key_type, range_lo, range_hi, last_key, rows_done, "
                + "done FROM " + table(job) + " WHERE job = ? ORDER BY part")) {
            ps.setString(1, job.name());
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

    static void delete(Connection c, EtlJob job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table(job) + " WHERE job = ?")) {
            ps.setString(1, job.name());
            ps.executeUpdate();
        }
    }

    static void insertPlan(Connection c, EtlJob job, List<Partition> plan) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table(job) + " (job, part, key_type, range_lo, "
                + "range_hi, last_key, rows_done, done, updated_at) VALUES (?, ?, ?, ?, ?, NULL, 0, ?, CURRENT_TIMESTAMP)")) {
            for (Partition p : plan) {
                ps.setString(1, job.name());
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
    static void save(Connection c, EtlJob job, Partition p, Object lastKey, long rowsDone, boolean done)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table(job) + " SET last_key = ?, rows_done = ?, "
                + "done = ?, updated_at = CURRENT_TIMESTAMP WHERE job = ? AND part = ?")) {
            ps.setString(1, lastKey == null ? null : p.keyType.format(lastKey));
            ps.setLong(2, rowsDone);
            ps.setBoolean(3, done);
            ps.setString(4, job.name());
            ps.setInt(5, p.id);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("the checkpoint of job " + job.name() + " partition " + p.id + " is missing from "
                        + table(job) + ": was it deleted while the job ran?", "55000");
            }
        }
    }
}
