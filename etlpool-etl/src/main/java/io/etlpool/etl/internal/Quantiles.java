package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cut points at the partition key's quantiles on a PostgreSQL source, so that each partition holds about
 * as many rows as the next whatever the keys' spread (one outlier id no longer puts every row into one
 * range). One {@code percentile_disc(ARRAY[1/n, 2/n, ...]) WITHIN GROUP (ORDER BY key)} over the job's
 * query, in the run's snapshot: exact up to {@link #SAMPLE_ROWS} rows (the planner's row estimate decides),
 * beyond that over a Bernoulli sample of about that many rows ({@code random() < fraction}), which works for
 * any query, not only a table. The cut points only decide where ranges meet: which rows a run copies never
 * depends on them, so a sample that is a little off gives partitions a little uneven, never a row lost.
 */
final class Quantiles {

    /** Up to this many rows (estimated) the quantiles are exact; beyond, a sample of about this size. */
    static final long SAMPLE_ROWS = 1_000_000;

    private static final Pattern ESTIMATE = Pattern.compile(" rows=(\\d+) ");

    private Quantiles() {
    }

    /**
     * The distinct cut points strictly above {@code min} and at most {@code max}, ascending by value: at most
     * {@code partitions - 1} of them (fewer when keys repeat).
     */
    static List<Object> cuts(EtlJob job, Connection source, KeyType type, Object min, Object max, int partitions)
            throws SQLException {
        return cuts(job, source, type, min, max, partitions, SAMPLE_ROWS);
    }

    /** As above, exact up to {@code sampleRows} estimated rows, sampled beyond. */
    static List<Object> cuts(EtlJob job, Connection source, KeyType type, Object min, Object max, int partitions,
                             long sampleRows) throws SQLException {
        List<Object> cuts = new ArrayList<>();
        if (partitions < 2) {
            return cuts;
        }
        StringBuilder fractions = new StringBuilder();
        for (int i = 1; i < partitions; i++) {
            fractions.append(i == 1 ? "" : ", ").append(String.format(Locale.ROOT, "%.17g", (double) i / partitions));
        }
        String k = "src." + Sql.sourceColumn(job.partitionColumn());
        double fraction = Math.min(1.0, (double) sampleRows / Math.max(1, estimatedRows(job, source)));
        String sample = fraction >= 1.0 ? "" : String.format(Locale.ROOT, " AND random() < %.17g", fraction);
        String sql = "SELECT DISTINCT cut FROM unnest((SELECT percentile_disc(ARRAY[" + fractions + "]::float8[]) "
                + "WITHIN GROUP (ORDER BY " + k + ") FROM (" + job.query() + ") src WHERE " + k + " IS NOT NULL"
                + sample + ")) cut WHERE cut IS NOT NULL ORDER BY cut";
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Object cut = type.read(rs, 1);
                // by value, as the ranges compare: above min (else the first range is empty), at most max
                if (cut != null && type.compare(cut, min) > 0 && type.compare(cut, max) <= 0
                        && (cuts.isEmpty() || type.compare(cut, cuts.get(cuts.size() - 1)) > 0)) {
                    cuts.add(cut);
                }
            }
        }
        return cuts;
    }

    /** The planner's estimate of the query's rows (EXPLAIN, nothing run). */
    private static long estimatedRows(EtlJob job, Connection source) throws SQLException {
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN " + job.query())) {
            if (rs.next()) {
                // first line: "Seq Scan on t  (cost=0.00..15406.00 rows=1000000 width=8)"
                Matcher m = ESTIMATE.matcher(rs.getString(1));
                if (m.find()) {
                    return Long.parseLong(m.group(1));
                }
            }
        }
        return Long.MAX_VALUE; // unknown: sample
    }
}
