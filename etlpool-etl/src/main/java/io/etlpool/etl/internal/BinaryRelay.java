package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;
import io.etlpool.etl.LoadMethod;
import org.postgresql.core.BaseConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a job can relay binary COPY from source to target, and the SQL it streams. Binary input is
 * strict (int4 data into an int8 column fails, a composite or array carries its element types' oids), so
 * the relay runs only when every target column has exactly the type of the source query's column:
 * the same {@code format_type} text, and for a type that is not built in the same oid (the same
 * database's type). Anything else keeps the row path, and {@link #plan} says why.
 */
final class BinaryRelay {

    /** Oids below this are PostgreSQL's own types, the same in every database. */
    private static final int FIRST_USER_OID = 16384;

    final List<String> names;
    /**
     * The partition key is the first data column (as in {@code SELECT * FROM t} of a table whose key comes
     * first): the source sends it once, and the relay forwards each tuple whole instead of dropping a
     * leading copy of the key.
     */
    final boolean keyFirst;

    private BinaryRelay(List<String> names, boolean keyFirst) {
        this.names = names;
        this.keyFirst = keyFirst;
    }

    /** The decision: a relay, or the reason the job keeps the row path. */
    record Plan(BinaryRelay relay, String reason) {
        String path() {
            return relay != null ? "binary relay" : "rows (reason: " + reason + ")";
        }
    }

    static Plan plan(EtlJob job, Partition partition, Connection source, Connection target) throws SQLException {
        String why = settingsRuleOut(job, partition);
        if (why == null && !PartitionTask.Sessions.isPostgres(source)) {
            why = "the source is not PostgreSQL";
        }
        if (why == null && !PartitionTask.Sessions.isPostgres(target)) {
            why = "the target is not PostgreSQL";
        }
        if (why != null) {
            return new Plan(null, why);
        }
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(Extraction.shape(job))) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> names = Extraction.labels(md, 1, false);
            SourceTypes types = SourceTypes.describe(job, source, md);
            List<String> oids = SourceTypes.typeOf(job, source, md, "::oid::text");
            Map<String, String[]> targetColumns = targetColumns(job, target);
            if (targetColumns.isEmpty()) {
                return new Plan(null, "the target table " + job.table() + " was not found");
            }
            for (int i = 0; i < names.size(); i++) {
                String[] t = targetColumns.get(names.get(i));
                if (t == null) {
                    return new Plan(null, "the target has no column " + names.get(i));
                }
                String sourceType = types.types.get(i);
                boolean sameType = normal(sourceType).equals(normal(t[0]));
                boolean builtIn = Long.parseLong(t[1]) < FIRST_USER_OID;
                if (!sameType || (!builtIn && !t[1].equals(oids.get(i)))) {
                    return new Plan(null, "column " + names.get(i) + " is " + sourceType + " in the source query and "
                            + t[0] + (sameType ? " of another database" : "") + " in the target");
                }
            }
            return new Plan(new BinaryRelay(List.copyOf(names), keyFirst(job, names)), null);
        }
    }

    /**
     * Whether the data columns are the source query's own ({@code src.*}, no column mapping) and the first
     * of them is the partition column: {@code src.key} names that column, the one output column of that
     * name (a second would make {@code src.key} ambiguous), so the first field is the key's value.
     */
    static boolean keyFirst(EtlJob job, List<String> names) {
        if (!job.columns().isEmpty() || BlockRanges.applies(job) || names.isEmpty()) {
            return false;
        }
        String key = Sql.parse(job.partitionColumn(), "partition column", 1).get(0).name();
        return names.get(0).equals(key) && names.stream().filter(key::equals).count() == 1;
    }

    /** What rules the relay out before looking at types, or null. */
    private static String settingsRuleOut(EtlJob job, Partition partition) {
        if (!job.binaryRelay()) {
            return "binaryRelay is off";
        }
        if (job.hasTransform()) {
            return "a Java transform";
        }
        if (job.method() == LoadMethod.BATCH) {
            return "method batch";
        }
        if (!partition.bounded()) {
            return "no partition column: a resume by row position checks the rows' digest";
        }
        return null;
    }

    private static String normal(String type) {
        return type.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }

    /** Each target column's format_type and type oid. */
    private static Map<String, String[]> targetColumns(EtlJob job, Connection target) throws SQLException {
        Map<String, String[]> out = new HashMap<>();
        try (PreparedStatement ps = target.prepareStatement("SELECT attname, format_type(atttypid, atttypmod), "
                + "atttypid::text FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0 "
                + "AND NOT attisdropped")) {
            ps.setString(1, Sql.table(job.table()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
                }
            }
        }
        return out;
    }

    /**
     * The partition's rows as binary COPY: the key first (decoded to end chunks, then dropped), then the
     * data columns as the job selects them. COPY takes no parameters, so the range is written as literals
     * in the text the driver would bind.
     */
    String copyOut(EtlJob job, Partition partition, boolean lastPartition, Connection source) throws SQLException {
        return keyFirst ? copyOut(job, partition, lastPartition, source, null)
                : copyOut(job, partition, lastPartition, source, Extraction.dataColumns(job));
    }

    /**
     * The partition's key and these data columns (a select list over {@code src}) as binary COPY; with no
     * data columns, {@code src.*} alone (its first column is the key: {@link #keyFirst}).
     */
    static String copyOut(EtlJob job, Partition partition, boolean lastPartition, Connection source, String dataColumns)
            throws SQLException {
        String k = "src." + Sql.sourceColumn(job.partitionColumn());
        String where = k + " >= " + literal(partition.lo, source) + " AND " + k + (lastPartition ? " <= " : " < ")
                + literal(partition.hi, source)
                + (partition.lastKey != null ? " AND " + k + " > " + literal(partition.lastKey, source) : "");
        String select = dataColumns == null ? "src.*" : k + " AS " + Extraction.KEY + ", " + dataColumns;
        return "COPY (SELECT " + select + " FROM "
                + Extraction.from(job) + " WHERE " + where + " ORDER BY " + k + ") TO STDOUT (FORMAT binary)";
    }

    /** The target side of one chunk. */
    String copyIn(String into) {
        return "COPY " + into + " (" + Sql.columns(names) + ") FROM STDIN (FORMAT binary)";
    }

    /** A key as an SQL literal: a number, or a quoted literal of unknown type that takes the column's type. */
    private static String literal(Object key, Connection source) throws SQLException {
        if (key instanceof Number) {
            return Long.toString(((Number) key).longValue());
        }
        if (key instanceof BlockRanges.Tid) {
            return "'" + key + "'";
        }
        var ts = source.unwrap(BaseConnection.class).getTimestampUtils();
        String text;
        if (key instanceof LocalDate) {
            text = ts.toString((LocalDate) key);
        } else if (key instanceof LocalDateTime) {
            text = ts.toString((LocalDateTime) key);
        } else if (key instanceof OffsetDateTime) {
            text = ts.toString((OffsetDateTime) key);
        } else {
            throw new IllegalStateException("a partition key of " + key.getClass());
        }
        return "'" + text.replace("'", "''") + "'";
    }
}
