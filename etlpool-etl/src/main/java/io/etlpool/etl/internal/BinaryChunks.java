package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;
import io.etlpool.etl.LoadMethod;
import io.etlpool.etl.LoadMode;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A chunk's rows (Java values, after the transform) written by binary COPY into a PostgreSQL target. Each
 * target column of a built-in type with a {@link BinaryValues.Encoder} gets its binary form; any other
 * column (arrays, intervals, enums, domains, composites, extension types, ...) travels as its text form
 * into a {@code text} column of a temporary stage, and {@code INSERT ... SELECT} casts it to the column's
 * type (by the type's own name, without a type modifier, so that the assignment to the column applies
 * the modifier as the type's input function would: an error, never a silent truncation). Before its COPY
 * starts, a chunk's values pass each encoder's cheap test ({@link BinaryValues.Encoder#accepts}: a String
 * for an integer column fails it), and the rest of each check is done as the value is encoded; a chunk
 * with a value an encoder does not take exactly is not written (or abandons its COPY), and the caller
 * rolls the chunk back and writes it as COPY text, as on the row path.
 */
final class BinaryChunks {

    private static final String TEXT_STAGE = "etlpool_text_stage";
    private static final String STAGE_ROW = "etlpool_stage_row";
    /** Oids below this are PostgreSQL's own types, the same in every database. */
    private static final int FIRST_USER_OID = 16384;

    private final EtlJob job;
    private final ChunkWriter writer;
    private final Map<String, Column> columns;

    /**
     * Why a chunk cannot go by binary COPY exactly; {@code sent}: found as its COPY ran, after some of its
     * rows had gone to the server (and, rolled back, left what a rollback leaves: sequence values used, dead
     * tuples), rather than by the cheap test before it.
     */
    record Misfit(String reason, boolean sent) {
    }

    /** A target column: its declared type, the type to cast its text form to, and its encoder (null: text form). */
    private record Column(String declared, String castType, BinaryValues.Encoder encoder) {
    }

    private BinaryChunks(EtlJob job, ChunkWriter writer, Map<String, Column> columns) {
        this.job = job;
        this.writer = writer;
        this.columns = columns;
    }

    /** What keeps a partition off binary rows (read and written as binary COPY), or null. */
    static String ruleOut(EtlJob job, Connection source, Connection target) throws SQLException {
        if (!job.binaryRelay()) {
            return "binaryRelay is off";
        }
        if (job.method() == LoadMethod.BATCH) {
            return "method batch";
        }
        if (!PartitionTask.Sessions.isPostgres(source)) {
            return "the source is not PostgreSQL";
        }
        if (!PartitionTask.Sessions.isPostgres(target)) {
            return "the target is not PostgreSQL";
        }
        return null;
    }

    /** The target table's columns, read from its catalog. */
    static BinaryChunks describe(EtlJob job, ChunkWriter writer, Connection target) throws SQLException {
        int version = target.getMetaData().getDatabaseMajorVersion();
        Map<String, Column> out = new HashMap<>();
        try (PreparedStatement ps = target.prepareStatement("SELECT a.attname, t.typname, t.oid::int8, t.typtype, "
                + "format_type(a.atttypid, a.atttypmod), quote_ident(n.nspname) || '.' || quote_ident(t.typname) "
                + "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
                + "WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, Sql.table(job.table()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean builtIn = rs.getLong(3) < FIRST_USER_OID && "b".equals(rs.getString(4));
                    BinaryValues.Encoder encoder = builtIn ? BinaryValues.encoder(rs.getString(2), version) : null;
                    out.put(rs.getString(1), new Column(rs.getString(5), rs.getString(6), encoder));
                }
            }
        }
        return new BinaryChunks(job, writer, out);
    }

    /** The target columns that travel by their text form, for the run's path. */
    String textFormColumns() {
        List<String> names = new ArrayList<>();
        columns.forEach((name, c) -> {
            if (c.encoder == null) {
                names.add(name);
            }
        });
        java.util.Collections.sort(names);
        return String.join(", ", names);
    }

    /**
     * The encoders of a chunk's columns, and the cheap test of its values ({@link BinaryValues.Encoder#accepts})
     * as the chunk's rows are made, while they are fresh in the CPU's caches (a pass over the chunk afterwards
     * cost the 5-column job of scripts/bench-etl-compare.sh about 7% more CPU). The first value that fails it
     * is the chunk's misfit, so that such a chunk never starts a binary COPY.
     */
    final class Screen {
        private final List<String> names;
        private final BinaryValues.Encoder[] encoders;
        private final boolean textStage;
        /** Per column, a class whose every value the encoder takes (tested by class, without a call). */
        private final Class<?>[] taken;
        private String misfit;

        private Screen(List<String> names) {
            this.names = names;
            encoders = new BinaryValues.Encoder[names.size()];
            taken = new Class<?>[names.size()];
            boolean stage = false;
            for (int i = 0; i < encoders.length; i++) {
                Column column = columns.get(names.get(i));
                if (column == null) {
                    misfit = "the target has no column " + names.get(i);
                    break;
                }
                stage |= column.encoder == null;
                encoders[i] = column.encoder == null ? BinaryValues.textForm() : column.encoder;
            }
            textStage = stage;
        }

        /** Tests one row of the chunk (of these columns, in this order). */
        void add(Object[] row) {
            if (misfit != null) {
                return;
            }
            for (int i = 0; i < row.length; i++) {
                Object v = row[i];
                if (v == null || v.getClass() == taken[i]) {
                    continue;
                }
                if (!encoders[i].accepts(v)) {
                    misfit = misfit(names.get(i), v);
                    return;
                }
                if (encoders[i].acceptsAll(v.getClass())) {
                    taken[i] = v.getClass();
                }
            }
        }
    }

    /** A screen for a chunk of rows of these columns. */
    Screen screen(List<String> names) {
        return new Screen(names);
    }

    /**
     * Writes the chunk's rows (every one passed to {@code screen}) into the table (or the upsert stage, then
     * merged); or, when the screen found a misfit, writes nothing, and at a value the encoding itself finds
     * not exact, abandons the COPY; and says why. The chunk's transaction may then hold a failed COPY and
     * its stages: the caller rolls back to a savepoint taken before this call.
     *
     * @return null when the rows are written, else why they cannot go by binary COPY exactly
     */
    Misfit write(Connection c, Screen screen, List<Object[]> rows) throws SQLException {
        if (screen.misfit != null) {
            return new Misfit(screen.misfit, false);
        }
        List<String> names = screen.names;
        BinaryValues.Encoder[] encoders = screen.encoders;
        boolean textStage = screen.textStage;
        boolean upsert = job.mode() == LoadMode.UPSERT;
        try (Statement s = c.createStatement()) {
            if (upsert) {
                writer.createStage(s);
            }
            Misfit misfit;
            if (textStage) {
                s.execute(textStage(names));
                misfit = copy(c, TEXT_STAGE, names, encoders, rows);
                if (misfit == null) {
                    s.executeUpdate("INSERT INTO " + writer.copyInto() + " (" + Sql.columns(names) + ") SELECT "
                            + casts(names) + " FROM " + TEXT_STAGE + " ORDER BY " + STAGE_ROW);
                }
            } else {
                misfit = copy(c, writer.copyInto(), names, encoders, rows);
            }
            if (misfit == null && upsert) {
                writer.mergeStage(s, names);
            }
            return misfit;
        }
    }

    /** A stage of the chunk's columns: text for the text forms, the target's declared type for the rest. */
    private String textStage(List<String> names) {
        List<String> defs = new ArrayList<>();
        for (String n : names) {
            Column c = columns.get(n);
            defs.add(Sql.quote(n) + " " + (c.encoder == null ? "text" : c.declared));
        }
        return "CREATE TEMP TABLE " + TEXT_STAGE + " (" + String.join(", ", defs) + ", " + STAGE_ROW
                + " bigint GENERATED ALWAYS AS IDENTITY) ON COMMIT DROP";
    }

    private String casts(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            Column c = columns.get(n);
            out.add(c.encoder == null ? "CAST(" + Sql.quote(n) + " AS " + c.castType + ")" : Sql.quote(n));
        }
        return String.join(", ", out);
    }

    private String misfit(String name, Object v) {
        return "column " + name + " of type " + columns.get(name).declared + " got a " + v.getClass().getSimpleName()
                + " from the transform, which binary COPY cannot carry exactly";
    }

    /** The rows by binary COPY; at a value that does not fit, the COPY abandoned and the reason. */
    private Misfit copy(Connection c, String into, List<String> names, BinaryValues.Encoder[] encoders,
                        List<Object[]> rows) throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + into + " (" + Sql.columns(names) + ") FROM STDIN (FORMAT binary)");
        BinaryTuples.Sink sink = new BinaryTuples.Sink(copy);
        try {
            for (Object[] row : rows) {
                sink.int16(row.length);
                for (int i = 0; i < row.length; i++) {
                    if (!encoders[i].write(row[i], sink)) { // sent: some of the chunk's rows reached the server
                        return new Misfit(misfit(names.get(i), row[i]), sink.flushed());
                    }
                }
            }
            sink.end();
            return null;
        } finally {
            sink.cancel(); // a COPY left half done would block the connection
        }
    }
}
