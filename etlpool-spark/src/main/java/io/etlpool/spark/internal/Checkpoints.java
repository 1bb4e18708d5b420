package io.etlpool.spark.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint table of the writer, in the target database: one row per (job, Spark partition) written,
 * inserted in the partition's own transaction together with its rows, and one row (partition -1) per job
 * with its definition and partition count. The primary key makes a partition's rows land once: a second
 * attempt's insert of the same key waits for the first attempt's transaction and then finds its row (the
 * partition is written) or, when that transaction rolled back, takes the partition over.
 */
final class Checkpoints {

    /** The digest a written partition stored, to compare a later attempt's input with. */
    record Stored(long rows, long digest) {
    }

    private Checkpoints() {
    }

    static String createSql(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " (job text NOT NULL, partition int NOT NULL, partitions int,"
                + " fingerprint text, definition text, rows bigint, digest bigint, attempt text,"
                + " committed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (job, partition))";
    }

    /**
     * Records the job, or checks it against the record of an earlier run; true when this is its first run.
     */
    static boolean recordJob(Connection c, WriteSpec spec, String definition, String fingerprint) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + spec.checkpointTable
                + " (job, partition, partitions, fingerprint, definition) VALUES (?, -1, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, spec.job);
            ps.setInt(2, spec.partitions);
            ps.setString(3, fingerprint);
            ps.setString(4, definition);
            if (ps.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT partitions, fingerprint, definition FROM "
                + spec.checkpointTable + " WHERE job = ? AND partition = -1")) {
            ps.setString(1, spec.job);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!fingerprint.equals(rs.getString(2))) {
                    throw new IllegalStateException("format(\"etlpool\"): job '" + spec.job + "' was written before as"
                            + " another job (" + changes(rs.getString(3), definition) + "); its checkpoints would skip"
                            + " partitions of a different load. Use a new jobId, or delete the job's rows from "
                            + spec.checkpointTable + " to write it again from scratch");
                }
                if (rs.getInt(1) != spec.partitions) {
                    throw new IllegalStateException("format(\"etlpool\"): job '" + spec.job + "' was written before in "
                            + rs.getInt(1) + " partitions, this run has " + spec.partitions + ": partition numbers would"
                            + " not name the same rows, so rows could be written twice or not at all. Run it with "
                            + rs.getInt(1) + " partitions (e.g. repartition(" + rs.getInt(1) + ")), or use a new jobId");
                }
                return false;
            }
        }
    }

    /** The lines of two definitions that differ, each as "what was ..., is ...". */
    private static String changes(String before, String now) {
        List<String> out = new ArrayList<>();
        String[] a = before == null ? new String[0] : before.split("\n");
        String[] b = now.split("\n");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "";
            String y = i < b.length ? b[i] : "";
            if (!x.equals(y)) {
                int eq = y.indexOf('=');
                out.add((eq > 0 ? y.substring(0, eq) : "definition") + " was '" + x.substring(x.indexOf('=') + 1)
                        + "', is '" + y.substring(eq + 1) + "'");
            }
        }
        return String.join("; ", out);
    }

    /**
     * Claims a partition in the open transaction of {@code c}: null when this attempt is to write it, else
     * what the attempt that wrote it stored. Waits while another attempt's transaction holds the claim.
     */
    static Stored claim(Connection c, WriteSpec spec, int partition, String attempt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + spec.checkpointTable
                + " (job, partition, partitions, attempt) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, spec.job);
            ps.setInt(2, partition);
            ps.setInt(3, spec.partitions);
            ps.setString(4, attempt);
            if (ps.executeUpdate() == 1) {
                return null;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT rows, digest FROM " + spec.checkpointTable
                + " WHERE job = ? AND partition = ?")) {
            ps.setString(1, spec.job);
            ps.setInt(2, partition);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Stored(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /** Stores what a partition wrote, in its transaction (before its commit). */
    static void complete(Connection c, WriteSpec spec, int partition, long rows, long digest) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + spec.checkpointTable
                + " SET rows = ?, digest = ?, committed_at = now() WHERE job = ? AND partition = ?")) {
            ps.setLong(1, rows);
            ps.setLong(2, digest);
            ps.setString(3, spec.job);
            ps.setInt(4, partition);
            ps.executeUpdate();
        }
    }

    /** Removes a job's rows (for a job without jobId, once it committed: nobody can run it again). */
    static void forget(Connection c, WriteSpec spec) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + spec.checkpointTable + " WHERE job = ?")) {
            ps.setString(1, spec.job);
            ps.executeUpdate();
        }
    }
}
