package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;
import io.etlpool.etl.LoadMethod;
import io.etlpool.etl.LoadMode;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.PGobject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a chunk's rows into the target inside the chunk's transaction: by COPY (an upsert goes through a
 * temporary stage table and {@code INSERT ... ON CONFLICT}) or by batched INSERT statements.
 */
final class ChunkWriter {

    private static final int BATCH = 1_000;
    private static final int COPY_BUFFER = 64 * 1024;
    private static final String STAGE = "etlpool_stage";
    private static final String STAGE_ROW = "etlpool_stage_row";

    private final EtlJob job;
    private final String table;

    ChunkWriter(EtlJob job) {
        this.job = job;
        this.table = Sql.table(job.table());
    }

    void write(Connection c, List<String> columns, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        if (job.method() == LoadMethod.BATCH) {
            batch(c, columns, rows);
        } else if (job.mode() == LoadMode.UPSERT) {
            try (Statement s = c.createStatement()) {
                createStage(s);
                copy(c, STAGE, columns, rows);
                mergeStage(s, columns);
            }
        } else {
            copy(c, table, columns, rows);
        }
    }

    /** The temporary table an upsert chunk is copied into first; dropped when the chunk's transaction ends. */
    void createStage(Statement s) throws SQLException {
        s.execute("CREATE TEMP TABLE " + STAGE + " (LIKE " + table + " INCLUDING DEFAULTS, " + STAGE_ROW
                + " bigint GENERATED ALWAYS AS IDENTITY) ON COMMIT DROP");
    }

    /** Where a chunk's COPY goes: the stage for an upsert, else the target table. */
    String copyInto() {
        return job.mode() == LoadMode.UPSERT ? STAGE : table;
    }

    /**
     * Upserts the stage into the target: the same key twice in one chunk would fail the whole INSERT ...
     * ON CONFLICT ("cannot affect row a second time"), so the stage numbers its rows in COPY order and the
     * last one per key wins, as it does when a batch upserts row after row.
     */
    void mergeStage(Statement s, List<String> columns) throws SQLException {
        String keys = Sql.writtenColumns(job.key());
        s.executeUpdate("INSERT INTO " + table + " (" + Sql.columns(columns) + ") SELECT DISTINCT ON (" + keys
                + ") " + Sql.columns(columns) + " FROM " + STAGE + " ORDER BY " + keys + ", " + STAGE_ROW
                + " DESC" + onConflict(columns));
    }

    /** Rows of the stage that share their key with a later row of it (merged into that one). */
    long stageDuplicates(Statement s) throws SQLException {
        String keys = Sql.writtenColumns(job.key());
        try (java.sql.ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM " + STAGE + ") - (SELECT count(*) "
                + "FROM (SELECT DISTINCT ON (" + keys + ") 1 FROM " + STAGE + " ORDER BY " + keys + ") d)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One row alone, as an INSERT (also for COPY jobs): finds which row of a failed chunk is at fault. */
    void writeOne(Connection c, List<String> columns, Object[] row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertSql(columns))) {
            bind(ps, row);
            ps.executeUpdate();
        }
    }

    private void batch(Connection c, List<String> columns, List<Object[]> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertSql(columns))) {
            int pending = 0;
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
                if (++pending == BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    private static void copy(Connection c, String into, List<String> columns, List<Object[]> rows) throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + into + " (" + Sql.columns(columns) + ") FROM STDIN (FORMAT csv)");
        try {
            CsvEncoder csv = new CsvEncoder(COPY_BUFFER + 4096);
            for (Object[] row : rows) {
                csv.row(row);
                if (csv.length() >= COPY_BUFFER) {
                    copy.writeToCopy(csv.buffer(), 0, csv.length());
                    csv.reset();
                }
            }
            if (csv.length() > 0) {
                copy.writeToCopy(csv.buffer(), 0, csv.length());
            }
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy(); // leave the connection usable: a half-done COPY would block it
            }
        }
    }

    private String insertSql(List<String> columns) {
        String marks = columns.stream().map(x -> "?").collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + Sql.columns(columns) + ") VALUES (" + marks + ")" + onConflict(columns);
    }

    private String onConflict(List<String> columns) {
        if (job.mode() != LoadMode.UPSERT) {
            return "";
        }
        List<String> keys = job.key().stream().map(k -> Sql.name(k, "key")).collect(Collectors.toList());
        List<String> updates = new ArrayList<>();
        for (String col : columns) {
            if (!keys.contains(col)) {
                updates.add(Sql.quote(col) + " = EXCLUDED." + Sql.quote(col));
            }
        }
        return " ON CONFLICT (" + Sql.columns(keys) + ") DO "
                + (updates.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", updates));
    }

    /**
     * Java values bound as themselves; a value in the server's text form ({@link PGobject}) bound as
     * untyped text, which the server reads with the target column's input function, as COPY does.
     */
    private static void bind(PreparedStatement ps, Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            if (v instanceof PGobject) {
                String text = ((PGobject) v).getValue();
                if (text == null) {
                    ps.setNull(i + 1, Types.OTHER);
                } else {
                    ps.setObject(i + 1, text, Types.OTHER);
                }
            } else {
                ps.setObject(i + 1, v);
            }
        }
    }
}
