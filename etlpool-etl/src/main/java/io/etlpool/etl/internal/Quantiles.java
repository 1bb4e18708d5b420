package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;
import org.postgresql.PGResultSetMetaData;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Cut points at the partition key's quantiles on a PostgreSQL source, so that each partition holds about
 * as many rows as the next whatever the keys' spread (one outlier id no longer puts every row into one
 * range). A query that reads one table whole, over {@link #STATISTICS_ROWS} rows, takes them from the
 * table's own statistics (the key's histogram from its last ANALYZE) when those are fresh and the key's
 * values are distinct enough to have no most-common values: nothing is read. Otherwise one
 * {@code percentile_disc(ARRAY[1/n, 2/n, ...]) WITHIN GROUP (ORDER BY key)} over the job's query, in the
 * run's snapshot: exact up to {@link #SAMPLE_ROWS} rows (the planner's row estimate decides), beyond that
 * over a Bernoulli sample of about that many rows ({@code random() < fraction}), which works for any query,
 * not only a table. The cut points only decide where ranges meet: which rows a run copies never depends on
 * them, so statistics or a sample a little off give partitions a little uneven, never a row lost.
 */
final class Quantiles {

    /** Up to this many rows (estimated) the quantiles are exact; beyond, a sample of about this size. */
    static final long SAMPLE_ROWS = 1_000_000;

    /** Above this many rows (estimated), a whole table's fresh statistics are used instead of reading its keys. */
    static final long STATISTICS_ROWS = 100_000;

    private static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private Quantiles() {
    }

    /**
     * The distinct cut points strictly above {@code min} and at most {@code max}, ascending by value: at most
     * {@code partitions - 1} of them (fewer when keys repeat).
     */
    static List<Object> cuts(EtlJob job, Connection source, KeyType type, Object min, Object max, int partitions)
            throws SQLException {
        if (partitions < 2) {
            return new ArrayList<>();
        }
        Explain plan = Explain.of(source, job.query());
        if (plan.rows() > STATISTICS_ROWS && plan.readsOneTableWhole()) {
            List<Object> cuts = fromStatistics(job, source, type, min, max, partitions);
            if (cuts != null) {
                return cuts;
            }
        }
        return fromRows(job, source, type, min, max, partitions, SAMPLE_ROWS, plan.rows());
    }

    /** From the query's rows only: exact up to {@code sampleRows} estimated rows, sampled beyond. */
    static List<Object> cuts(EtlJob job, Connection source, KeyType type, Object min, Object max, int partitions,
                             long sampleRows) throws SQLException {
        if (partitions < 2) {
            return new ArrayList<>();
        }
        return fromRows(job, source, type, min, max, partitions, sampleRows, Explain.of(source, job.query()).rows());
    }

    private static List<Object> fromRows(EtlJob job, Connection source, KeyType type, Object min, Object max,
                                         int partitions, long sampleRows, long estimatedRows) throws SQLException {
        StringBuilder fractions = new StringBuilder();
        for (int i = 1; i < partitions; i++) {
            fractions.append(i == 1 ? "" : ", ").append(String.format(Locale.ROOT, "%.17g", (double) i / partitions));
        }
        String k = key(job);
        long estimate = estimatedRows < 0 ? Long.MAX_VALUE : Math.max(1, estimatedRows); // unknown: sample
        double fraction = Math.min(1.0, (double) sampleRows / estimate);
        String sample = fraction >= 1.0 ? "" : String.format(Locale.ROOT, " AND random() < %.17g", fraction);
        String sql = "SELECT DISTINCT cut FROM unnest((SELECT percentile_disc(ARRAY[" + fractions + "]::float8[]) "
                + "WITHIN GROUP (ORDER BY " + k + ") FROM (" + job.query() + ") src WHERE " + k + " IS NOT NULL"
                + sample + ")) cut WHERE cut IS NOT NULL ORDER BY cut";
        List<Object> values = new ArrayList<>();
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(type.read(rs, 1));
            }
        }
        return within(values, type, min, max);
    }

    /**
     * The cut points from the histogram of the key's table column, or null where the statistics do not
     * describe the rows well: the key is not a plain column, the table was never analyzed or has changed by
     * more than a tenth since, the key has most-common values (repeats the histogram leaves out) or NULLs,
     * or the histogram has fewer buckets than partitions.
     */
    static List<Object> fromStatistics(EtlJob job, Connection source, KeyType type, Object min, Object max,
                                       int partitions) throws SQLException {
        String schema;
        String table;
        String column;
        String typeName;
        try (Statement s = source.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + key(job) + " FROM (" + job.query() + ") src WHERE 1 = 0")) {
            PGResultSetMetaData md = rs.getMetaData().unwrap(PGResultSetMetaData.class);
            schema = md.getBaseSchemaName(1);
            table = md.getBaseTableName(1);
            column = md.getBaseColumnName(1);
            typeName = rs.getMetaData().getColumnTypeName(1);
        }
        if (table == null || table.isEmpty() || column == null || column.isEmpty() || typeName == null
                || !TYPE_NAME.matcher(typeName).matches()) {
            return null;
        }
        List<Object> bounds = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement("SELECT h.b FROM pg_catalog.pg_stats st "
                + "JOIN pg_catalog.pg_stat_all_tables t ON t.schemaname = st.schemaname AND t.relname = st.tablename, "
                + "unnest(st.histogram_bounds::text::pg_catalog.\"" + typeName + "\"[]) WITH ORDINALITY h(b, i) "
                + "WHERE st.schemaname = ? AND st.tablename = ? AND st.attname = ? AND NOT st.inherited "
                + "AND st.most_common_vals IS NULL AND st.null_frac = 0 AND t.n_mod_since_analyze * 10 <= t.n_live_tup "
                + "ORDER BY h.i")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bounds.add(type.read(rs, 1));
                }
            }
        }
        int buckets = bounds.size() - 1; // each holds about the same share of the rows
        if (buckets < partitions) {
            return null;
        }
        List<Object> values = new ArrayList<>();
        for (int i = 1; i < partitions; i++) {
            values.add(bounds.get((int) Math.round((double) i * buckets / partitions)));
        }
        return within(values, type, min, max);
    }

    /** The values, ascending, that are above min (else the first range is empty), at most max, each once. */
    private static List<Object> within(List<Object> values, KeyType type, Object min, Object max) {
        List<Object> cuts = new ArrayList<>();
        for (Object cut : values) {
            if (cut != null && type.compare(cut, min) > 0 && type.compare(cut, max) <= 0
                    && (cuts.isEmpty() || type.compare(cut, cuts.get(cuts.size() - 1)) > 0)) {
                cuts.add(cut);
            }
        }
        return cuts;
    }

    private static String key(EtlJob job) {
        return "src." + Sql.sourceColumn(job.partitionColumn());
    }
}
