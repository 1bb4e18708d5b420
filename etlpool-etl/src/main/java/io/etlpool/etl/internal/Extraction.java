package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SQL a partition streams, and how its columns are read. With a partition column the first column is
 * the key ({@code etlpool_key}); column mappings are SQL expressions over the source query's columns.
 * The data columns are described first (the query with no rows), so that each gets its {@link ColumnCodec}:
 * a PostgreSQL column without an exact Java encoder is selected as {@code ::text}, the server's own text
 * form of the value.
 */
final class Extraction {

    static final String KEY = "etlpool_key";

    private final EtlJob job;
    private final List<String> names;
    private final List<ColumnCodec> codecs;
    private final String dataColumns;

    private Extraction(EtlJob job, List<String> names, List<ColumnCodec> codecs, String dataColumns) {
        this.job = job;
        this.names = names;
        this.codecs = codecs;
        this.dataColumns = dataColumns;
    }

    /** Describes the job's data columns on the source (a query that returns no rows). */
    static Extraction describe(EtlJob job, Connection source) throws SQLException {
        boolean pg = PartitionTask.Sessions.isPostgres(source);
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(shape(job))) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> names = labels(md, 1, source.getMetaData().storesUpperCaseIdentifiers());
            List<ColumnCodec> codecs = new ArrayList<>();
            List<String> select = new ArrayList<>();
            List<String> expressions = new ArrayList<>(job.columns().values());
            for (int i = 1; i <= md.getColumnCount(); i++) {
                ColumnCodec codec = pg ? ColumnCodec.postgres(md.getColumnTypeName(i))
                        : ColumnCodec.generic(md.getColumnTypeName(i), md.getColumnType(i));
                codecs.add(codec);
                String value = expressions.isEmpty() ? "src." + Sql.quote(md.getColumnLabel(i))
                        : "(" + expressions.get(i - 1) + ")";
                select.add((codec.textForm && pg ? "(" + value + ")::text" : value) + " AS " + Sql.quote(names.get(i - 1)));
            }
            boolean plain = codecs.stream().noneMatch(c -> c.textForm && pg);
            return new Extraction(job, List.copyOf(names), List.copyOf(codecs),
                    plain ? dataColumns(job) : String.join(", ", select));
        }
    }

    /** The data columns as written in the job: the mapping's expressions, or every source column. */
    static String dataColumns(EtlJob job) {
        if (job.columns().isEmpty()) {
            return "src.*";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> m : job.columns().entrySet()) {
            parts.add("(" + m.getValue() + ") AS " + Sql.quote(Sql.name(m.getKey(), "column")));
        }
        return String.join(", ", parts);
    }

    /** Streams one partition's rows in key order, after the last committed key if there is one. */
    String partitioned(boolean afterLastKey, boolean lastPartition) {
        String k = key(job);
        return "SELECT " + k + " AS " + KEY + ", " + dataColumns + " FROM " + from(job) + " WHERE "
                + k + " >= ? AND " + k + (lastPartition ? " <= ?" : " < ?") + (afterLastKey ? " AND " + k + " > ?" : "")
                + " ORDER BY " + k;
    }

    /** The whole query in its own (required) order. */
    String unpartitioned() {
        return dataColumns.equals("src.*") ? job.query() : "SELECT " + dataColumns + " FROM (" + job.query() + ") src";
    }

    /** The target's column names, in order. */
    List<String> names() {
        return names;
    }

    /** The readers of the data columns, in order. */
    Reader[] readers() {
        Reader[] readers = new Reader[codecs.size()];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = codecs.get(i).reader;
        }
        return readers;
    }

    /** The data columns as this extraction selects them (a column without an exact Java value as {@code ::text}). */
    String selected() {
        return dataColumns;
    }

    /** The decoders of the data columns from binary COPY, in order (a PostgreSQL source). */
    BinaryValues.Decoder[] binaryDecoders() {
        BinaryValues.Decoder[] decoders = new BinaryValues.Decoder[codecs.size()];
        for (int i = 0; i < decoders.length; i++) {
            decoders[i] = BinaryValues.decoder(codecs.get(i));
        }
        return decoders;
    }

    /** What the key's statements read, named src: the query as a subquery, or the table itself for block ranges. */
    static String from(EtlJob job) {
        try {
            return BlockRanges.applies(job) ? BlockRanges.from(job) : "(" + job.query() + ") src";
        } catch (io.etlpool.etl.EtlException e) {
            throw new IllegalStateException(e.getMessage(), e); // the planner refused such a job before
        }
    }

    private static String key(EtlJob job) {
        return "src." + Sql.sourceColumn(job.partitionColumn());
    }

    /** Min, max and the count of NULL keys of the partition column, in one scan of the query's rows. */
    static String bounds(EtlJob job) {
        String k = key(job);
        return "SELECT min(" + k + "), max(" + k + "), count(*) - count(" + k + ") FROM (" + job.query() + ") src";
    }

    /**
     * The same three values as {@link #bounds}, each its own subquery, so that an index on the key answers
     * them (its two ends and its NULL entries) without reading the rows; without such an index it reads
     * the rows three times, so the planner's cost decides between the two.
     */
    static String boundsByIndex(EtlJob job) {
        String k = key(job);
        String from = " FROM (" + job.query() + ") src";
        return "SELECT (SELECT min(" + k + ")" + from + "), (SELECT max(" + k + ")" + from + "), (SELECT count(*)"
                + from + " WHERE " + k + " IS NULL)";
    }

    /** The columns of the extraction, without rows. */
    static String shape(EtlJob job) {
        return "SELECT " + dataColumns(job) + " FROM (" + job.query() + ") src WHERE 1 = 0";
    }

    /** Reads a column so that its value survives COPY text or a JDBC bind unchanged. */
    interface Reader {
        Object read(ResultSet rs, int column) throws SQLException;
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
