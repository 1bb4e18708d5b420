package io.etlpool.spark.internal;

import io.etlpool.spark.ExecutorPools;
import org.apache.spark.sql.connector.read.InputPartition;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The read's partitions: the partition column cut at its quantiles, so that each partition holds about as
 * many rows as the next however the keys are spread (Spark's JDBC reader cuts [lowerBound, upperBound] into
 * equal spans, so one outlier key puts nearly every row in one partition). One
 * {@code percentile_disc(ARRAY[1/n, ...]) WITHIN GROUP (ORDER BY key)} over the whole query in the driver,
 * as the ETL planner does (whose code is internal to etlpool-etl). The ranges are open at both ends and meet
 * without gap or overlap; rows with a NULL key go to the first one, so every row is read once whatever the
 * cut points. Cut points travel as the server's text form and are compared as the key's own type.
 */
final class KeyRanges {

    /** A key range: {@code lo <= key < hi}, a null bound is open; the first range also takes NULL keys. */
    record Range(int index, String lo, String hi) implements InputPartition {
        private static final long serialVersionUID = 1L;
    }

    private KeyRanges() {
    }

    static InputPartition[] plan(ReadSpec spec) {
        if (spec.partitionColumn == null || spec.partitions < 2) {
            return new InputPartition[] {new Range(0, null, null)};
        }
        StringBuilder fractions = new StringBuilder();
        for (int i = 1; i < spec.partitions; i++) {
            fractions.append(i == 1 ? "" : ", ").append(String.format(Locale.ROOT, "%.17g", (double) i / spec.partitions));
        }
        String k = "src." + Names.quote(spec.partitionColumn);
        String sql = "SELECT d.cut::text FROM (SELECT DISTINCT cut FROM unnest((SELECT percentile_disc(ARRAY["
                + fractions + "]::float8[]) WITHIN GROUP (ORDER BY " + k + ") FROM (" + spec.query + ") src WHERE " + k
                + " IS NOT NULL)) AS cut WHERE cut IS NOT NULL) d ORDER BY d.cut";
        List<String> cuts = new ArrayList<>();
        try (ExecutorPools.Lease lease = ExecutorPools.shared().borrow(spec.budget.driverPool());
             Connection c = lease.pool().getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                cuts.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("format(\"etlpool\"): planning the partitions on " + spec.partitionColumn
                    + " failed: " + e.getMessage(), e);
        }
        InputPartition[] ranges = new InputPartition[cuts.size() + 1];
        for (int i = 0; i <= cuts.size(); i++) {
            ranges[i] = new Range(i, i == 0 ? null : cuts.get(i - 1), i == cuts.size() ? null : cuts.get(i));
        }
        return ranges;
    }

    /** The range's SQL: the query filtered on the key, its bounds as parameters. */
    static String sql(ReadSpec spec, Range r) {
        if (spec.partitionColumn == null) {
            return spec.query;
        }
        String k = "src." + Names.quote(spec.partitionColumn);
        List<String> where = new ArrayList<>();
        if (r.lo() != null) {
            where.add(k + " >= ?");
        }
        if (r.hi() != null) {
            where.add(r.index() == 0 ? "(" + k + " < ? OR " + k + " IS NULL)" : k + " < ?");
        }
        return "SELECT * FROM (" + spec.query + ") src" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where));
    }
}
