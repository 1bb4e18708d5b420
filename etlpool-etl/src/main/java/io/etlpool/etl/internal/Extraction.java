package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;
import org.postgresql.util.PGobject;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SQL a partition streams, and how its columns are read. With a partition column the first column is
 * the key ({@code etlpool_key}); column mappings are SQL expressions over the source query's columns.
 */
final class Extraction {

    static final String KEY = "etlpool_key";

    private Extraction() {
    }

    /** The data columns: the mapping's expressions, or every source column. */
    private static String dataColumns(EtlJob job) {
        if (job.columns().isEmpty()) {
            return "src.*";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> m : job.columns().entrySet()) {
            parts.add("(" + m.getValue() + ") AS " + Sql.column(m.getKey()));
        }
        return String.join(", ", parts);
    }

    /** Streams one partition's rows in key order, after the last committed key if there is one. */
    static String partitioned(EtlJob job, boolean afterLastKey, boolean lastPartition) {
        String k = "src." + Sql.plain(job.partitionColumn());
        return "SELECT " + k + " AS " + KEY + ", " + dataColumns(job) + " FROM (" + job.query() + ") src WHERE "
                + k + " >= ? AND " + k + (lastPartition ? " <= ?" : " < ?") + (afterLastKey ? " AND " + k + " > ?" : "")
                + " ORDER BY " + k;
    }

    /** The whole query in its own (required) order. */
    static String unpartitioned(EtlJob job) {
        return job.columns().isEmpty() ? job.query() : "SELECT " + dataColumns(job) + " FROM (" + job.query() + ") src";
    }

    /** Min, max and the count of NULL keys of the partition column. */
    static String bounds(EtlJob job) {
        String k = "src." + Sql.plain(job.partitionColumn());
        return "SELECT min(" + k + "), max(" + k + "), count(*) - count(" + k + ") FROM (" + job.query() + ") src";
    }

    /** The columns of the extraction, without rows, for creating the target table. */
    static String shape(EtlJob job) {
        return "SELECT " + dataColumns(job) + " FROM (" + job.query() + ") src WHERE 1 = 0";
    }

    /** Reads a column so that its value survives COPY text or a JDBC bind unchanged (time zones above all). */
    interface Reader {
        Object read(ResultSet rs, int column) throws SQLException;
    }

    static Reader[] readers(ResultSetMetaData md, int from) throws SQLException {
        Reader[] readers = new Reader[md.getColumnCount() - from + 1];
        for (int i = from; i <= md.getColumnCount(); i++) {
            String t = md.getColumnTypeName(i) == null ? "" : md.getColumnTypeName(i).toLowerCase(Locale.ROOT);
            Reader r;
            if (t.equals("timestamptz") || t.startsWith("timestamp") && t.contains("with time zone")) {
                r = (rs, c) -> rs.getObject(c, OffsetDateTime.class);
            } else if (t.startsWith("timestamp")) {
                r = (rs, c) -> rs.getObject(c, LocalDateTime.class);
            } else if (t.equals("date")) {
                r = (rs, c) -> rs.getObject(c, LocalDate.class);
            } else if (t.equals("time")) {
                r = (rs, c) -> rs.getObject(c, LocalTime.class);
            } else if (t.equals("timetz") || t.startsWith("time") && t.contains("with time zone")) {
                r = Extraction::timeWithZone;
            } else {
                r = ResultSet::getObject;
            }
            readers[i - from] = r;
        }
        return readers;
    }

    /**
     * A timetz as an OffsetTime (plain getObject gives a java.sql.Time, which drops the offset and the
     * fraction). PgJDBC reads 24:00:00, whatever its offset, as OffsetTime.MAX, which no OffsetTime can
     * correct; that value travels as the server's own text, typed timetz, so COPY and a batch both
     * write it back exactly.
     */
    private static Object timeWithZone(ResultSet rs, int column) throws SQLException {
        OffsetTime t = rs.getObject(column, OffsetTime.class);
        if (!OffsetTime.MAX.equals(t)) {
            return t;
        }
        PGobject text = new PGobject();
        text.setType("timetz");
        text.setValue(rs.getString(column));
        return text;
    }

    /**
     * The column labels; a source that folds unquoted names to upper case (H2, Oracle) has its all-upper
     * labels folded to lower case, PostgreSQL's way, so that {@code id} stays {@code id} in the target.
     */
    static List<String> labels(ResultSetMetaData md, int from, boolean upperCaseSource) throws SQLException {
        List<String> names = new ArrayList<>();
        for (int i = from; i <= md.getColumnCount(); i++) {
            String label = md.getColumnLabel(i);
            names.add(upperCaseSource && label.equals(label.toUpperCase(Locale.ROOT)) ? label.toLowerCase(Locale.ROOT) : label);
        }
        return names;
    }
}
