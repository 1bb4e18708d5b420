package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table {@code etlpool_checkpoint} in the target: one row per job and partition with its range, how
 * far it got, the chunk sequence that fences commits, and the job's fingerprint. A chunk's rows and its
 * checkpoint update commit in one transaction.
 */
final class Checkpoints {

    static final String TABLE = "etlpool_checkpoint";

    /** Columns added after the first release, with their definitions: added to older tables on start. */
    private static final Map<String, String> ADDED = new LinkedHashMap<>();

    static {
        ADDED.put("chunk_seq", "BIGINT NOT NULL DEFAULT 0");
        ADDED.put("prefix_digest", "BIGINT NOT NULL DEFAULT 0");
        ADDED.put("fingerprint", "VARCHAR(64)");
        ADDED.put("job_definition", "TEXT");
        ADDED.put("source_state", "TEXT");
    }

    private Checkpoints() {
    }

    /** The checkpoint table's name as SQL: in the job's checkpointSchema, or the first on the search path. */
    static String table(EtlJob job) {
        return Sql.table(written(job, TABLE));
    }

    /**
     * A table of etlpool's own ({@code etlpool_checkpoint}, {@code etlpool_lease}) as a written name: in the
     * job's checkpointSchema, or unqualified (the first schema on the search path).
     */
    static String written(EtlJob job, String table) {
        return job.checkpointSchema() == null ? table
                : Sql.quote(Sql.name(job.checkpointSchema(), "checkpointSchema")) + "." + table;
    }

    /** Creates the table, or adds the columns a table written by an older etlpool lacks; commits. */
    static void createIfMissing(Connection c, EtlJob job) throws SQLException {
        createOwnTable(c, job, "checkpoint table", TABLE, "job VARCHAR(100) NOT NULL, part INTEGER NOT NULL, "
                + "key_type VARCHAR(20), range_lo VARCHAR(100), range_hi VARCHAR(100), last_key VARCHAR(100), "
                + "rows_done BIGINT NOT NULL, done BOOLEAN NOT NULL, updated_at TIMESTAMP, "
                + "chunk_seq BIGINT NOT NULL DEFAULT 0, prefix_digest BIGINT NOT NULL DEFAULT 0, "
                + "fingerprint VARCHAR(64), job_definition TEXT, source_state TEXT, PRIMARY KEY (job, part)");
        // ALTER TABLE locks the table even when the column exists: only alter what is missing
        List<String> present = columns(c, job);
        try (Statement s = c.createStatement()) {
            for (Map.Entry<String, String> col : ADDED.entrySet()) {
                if (!present.contains(col.getKey())) {
                    s.execute("ALTER TABLE " + table(job) + " ADD COLUMN IF NOT EXISTS " + col.getKey() + " "
                            + col.getValue());
                }
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    /**
     * Creates one of etlpool's own tables unless it is there (so a user who may not create tables can use
     * one made for it); a user who may not create it is told which setting moves it.
     */
    static void createOwnTable(Connection c, EtlJob job, String what, String name, String definition)
            throws SQLException {
        String written = written(job, name);
        if (TableCreator.exists(c, written)) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + Sql.table(written) + " (" + definition + ")");
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                throw new EtlException("job '" + job.name() + "': cannot create the " + what + " " + Sql.table(written)
                        + (job.checkpointSchema() == null ? " in the first schema of the target's search path" : "")
                        + " (" + e.getMessage().split("\n")[0] + "). Set checkpointSchema to a schema this user may "
                        + "create tables in, or have the table created for it", e);
            }
            throw e;
        }
    }

    /** The columns of the table the job's statements name, wherever the name resolves. */
    private static List<String> columns(Connection c, EtlJob job) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table(job) + " WHERE 1 = 0")) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                names.add(md.getColumnName(i).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** The stored plan of a job with its progress; empty when the job has none. */
    static List<Partition> load(Connection c, EtlJob job) throws SQLException {
        List<Partition> plan = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT part, key_type, range_lo, range_hi, last_key, rows_done, "
                + "done, chunk_seq, prefix_digest, source_state FROM " + table(job) + " WHERE job = ? ORDER BY part")) {
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
                    p.seq = rs.getLong(8);
                    p.prefixDigest = rs.getLong(9);
                    p.sourceState = rs.getString(10);
                    p.resumed = p.rowsDone > 0 || p.done;
                    plan.add(p);
                }
            }
        }
        return plan;
    }

    /**
     * The job definition stored with a job's plan: empty when the job has no plan, {@code null} inside
     * when the plan was written by an etlpool that did not record one.
     */
    static java.util.Optional<String> storedDefinition(Connection c, EtlJob job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT job_definition FROM " + table(job)
                + " WHERE job = ? ORDER BY part")) {
            ps.setString(1, job.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.of(rs.getString(1) == null ? "" : rs.getString(1));
            }
        }
    }

    static int delete(Connection c, EtlJob job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table(job) + " WHERE job = ?")) {
            ps.setString(1, job.name());
            return ps.executeUpdate();
        }
    }

    static void insertPlan(Connection c, EtlJob job, JobIdentity identity, List<Partition> plan) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table(job) + " (job, part, key_type, range_lo, "
                + "range_hi, last_key, rows_done, done, updated_at, chunk_seq, prefix_digest, fingerprint, "
                + "job_definition, source_state) VALUES (?, ?, ?, ?, ?, NULL, 0, ?, CURRENT_TIMESTAMP, 0, 0, ?, ?, ?)")) {
            for (Partition p : plan) {
                ps.setString(1, job.name());
                ps.setInt(2, p.id);
                ps.setString(3, p.bounded() ? p.keyType.name() : null);
                ps.setString(4, p.bounded() ? p.keyType.format(p.lo) : null);
                ps.setString(5, p.bounded() ? p.keyType.format(p.hi) : null);
                ps.setBoolean(6, p.done);
                ps.setString(7, identity.fingerprint());
                ps.setString(8, identity.definition());
                ps.setString(9, p.sourceState);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The fence, first statement of a chunk's transaction: locks the partition's checkpoint row and checks
     * that it still says what the chunk started from. Any other transaction that moved it (a commit whose
     * answer was lost, a zombie task, an overlapping run) has committed by the time the lock is granted,
     * so the check sees it. Throws {@link StaleCheckpointException} when the position moved.
     */
    static void lockAndCheck(Connection c, EtlJob job, Partition p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT chunk_seq FROM " + table(job)
                + " WHERE job = ? AND part = ? FOR UPDATE")) {
            ps.setString(1, job.name());
            ps.setInt(2, p.id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw missing(job, p);
                }
                long stored = rs.getLong(1);
                if (stored != p.seq) {
                    throw new StaleCheckpointException(job.name(), p.id, p.seq, stored);
                }
            }
        }
    }

    /** Records a committed chunk, conditional on the sequence it started from; part of the chunk's transaction. */
    static void save(Connection c, EtlJob job, Partition p, Object lastKey, long rowsDone, long digest, boolean done)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table(job) + " SET last_key = ?, rows_done = ?, "
                + "done = ?, prefix_digest = ?, chunk_seq = chunk_seq + 1, updated_at = CURRENT_TIMESTAMP "
                + "WHERE job = ? AND part = ? AND chunk_seq = ?")) {
            ps.setString(1, lastKey == null ? null : p.keyType.format(lastKey));
            ps.setLong(2, rowsDone);
            ps.setBoolean(3, done);
            ps.setLong(4, digest);
            ps.setString(5, job.name());
            ps.setInt(6, p.id);
            ps.setLong(7, p.seq);
            if (ps.executeUpdate() != 1) {
                throw missing(job, p);
            }
        }
    }

    private static SQLException missing(EtlJob job, Partition p) {
        return new SQLException("the checkpoint of job " + job.name() + " partition " + p.id + " is missing from "
                + table(job) + " or was changed by another run: was it reset while the job ran?", "55000");
    }
}
