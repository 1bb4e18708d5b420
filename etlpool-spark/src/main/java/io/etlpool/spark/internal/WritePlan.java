package io.etlpool.spark.internal;

import io.etlpool.spark.ExecutorPools;
import org.apache.spark.sql.types.StructType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What the driver does once before the tasks of a write start, in one transaction: finds the target table
 * and its columns (as PostgreSQL reads the written name), maps the DataFrame's columns onto them, creates the
 * checkpoint table if it is missing, and records the job: its definition and partition count. A job seen
 * before must match what was recorded, or the write is refused (its checkpoints would skip partitions of
 * another load). In overwrite mode the target is emptied here, in the transaction that records the job, so
 * exactly once per job: a re-run of a job that was recorded does not empty it again.
 */
final class WritePlan {

    private WritePlan() {
    }

    static void prepare(WriteSpec spec, StructType schema, int partitions) throws SQLException {
        try (ExecutorPools.Lease lease = ExecutorPools.shared().borrow(spec.budget.driverPool());
             Connection c = lease.pool().getConnection()) {
            c.setAutoCommit(false);
            try {
                spec.table = Names.relation(c, spec.writtenTable, "table");
                mapColumns(c, spec, schema);
                try (Statement s = c.createStatement()) {
                    s.execute(Checkpoints.createSql(spec.writtenCheckpointTable));
                }
                spec.checkpointTable = Names.relation(c, spec.writtenCheckpointTable, "checkpointTable");
                spec.partitions = partitions;
                String definition = definition(spec);
                boolean first = Checkpoints.recordJob(c, spec, definition, sha256(definition));
                if (first && spec.mode.equals(WriteSpec.OVERWRITE)) {
                    try (Statement s = c.createStatement()) {
                        s.execute("TRUNCATE " + spec.table);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void mapColumns(Connection c, WriteSpec spec, StructType schema) throws SQLException {
        List<String> target = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass"
                + " AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            ps.setString(1, spec.table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    target.add(rs.getString(1));
                }
            }
        }
        String[] targetNames = target.toArray(new String[0]);
        spec.columns = new String[spec.sparkColumns.length];
        for (int i = 0; i < spec.sparkColumns.length; i++) {
            int at = Names.column(targetNames, spec.sparkColumns[i]);
            if (at < 0) {
                throw new IllegalArgumentException("format(\"etlpool\"): the DataFrame's column '" + spec.sparkColumns[i]
                        + "' is not a column of " + spec.table + " (" + String.join(", ", target) + "); rename or drop it");
            }
            spec.columns[i] = target.get(at);
        }
        spec.key = new String[spec.writtenKey.size()];
        for (int i = 0; i < spec.key.length; i++) {
            spec.key[i] = spec.columns[Names.column(schema.fieldNames(), spec.writtenKey.get(i))];
        }
    }

    /**
     * What defines the job: the rows it writes where, and how they are merged. The method, batch size and
     * budget change neither, so they are not part of it; the partition count is recorded apart.
     */
    static String definition(WriteSpec spec) {
        StringBuilder b = new StringBuilder();
        b.append("job=").append(spec.job).append('\n');
        b.append("table=").append(spec.table).append('\n');
        b.append("mode=").append(spec.mode).append('\n');
        b.append("key=").append(String.join(", ", spec.key)).append('\n');
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < spec.columns.length; i++) {
            cols.add(spec.columns[i] + " " + spec.types[i].simpleString());
        }
        b.append("columns=").append(String.join(", ", cols)).append('\n');
        return b.toString();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
