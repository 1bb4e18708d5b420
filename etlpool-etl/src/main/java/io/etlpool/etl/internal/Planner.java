package io.etlpool.etl.internal;

import io.etlpool.etl.EtlException;
import io.etlpool.etl.EtlJob;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the partition column's [min, max] into the job's number of key ranges: at the key's quantiles on a
 * PostgreSQL source ({@link Quantiles}), into equal spans elsewhere. The ranges meet without gap or overlap
 * ([lo, hi), the last one [lo, max]); NULL keys are refused. The plan is stored with the checkpoints, so a
 * resume uses the same bounds.
 */
final class Planner {

    private Planner() {
    }

    static List<Partition> plan(EtlJob job, Connection source) throws SQLException {
        List<Partition> plan = new ArrayList<>();
        if (job.partitionColumn() == null) {
            plan.add(new Partition(0, null, null, null));
            return plan;
        }
        if (BlockRanges.applies(job)) {
            return BlockRanges.plan(job, source);
        }
        boolean postgres = PartitionTask.Sessions.isPostgres(source);
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(boundsSql(job, source, postgres))) {
            rs.next();
            ResultSetMetaData md = rs.getMetaData();
            KeyType type = KeyType.of(md.getColumnTypeName(1), md.getColumnType(1), job.partitionColumn());
            long nulls = rs.getLong(3);
            if (nulls > 0) {
                throw new EtlException("job '" + job.name() + "': partition column " + job.partitionColumn() + " has "
                        + nulls + " NULL value(s); such rows fit no key range and would be lost. Choose a NOT NULL "
                        + "column, or leave the NULL rows out in the source query");
            }
            Object min = type.read(rs, 1);
            Object max = type.read(rs, 2);
            if (min == null) {
                Partition empty = new Partition(0, type, type.fromLong(0), type.fromLong(0));
                empty.done = true; // no rows at all
                plan.add(empty);
                return plan;
            }
            if (postgres && type.compare(min, max) < 0) {
                List<Object> cuts = Quantiles.cuts(job, source, type, min, max, job.partitions());
                if (!cuts.isEmpty()) {
                    List<Object> bounds = new ArrayList<>();
                    bounds.add(min);
                    bounds.addAll(cuts);
                    bounds.add(max);
                    for (int i = 0; i + 1 < bounds.size(); i++) {
                        plan.add(new Partition(i, type, bounds.get(i), bounds.get(i + 1)));
                    }
                    return plan;
                }
            }
            equalRanges(job, type, min, max, plan);
            return plan;
        }
    }

    /** The key's bounds: through its index where PostgreSQL's planner finds that cheaper than reading the rows. */
    private static String boundsSql(EtlJob job, Connection source, boolean postgres) throws SQLException {
        String oneScan = Extraction.bounds(job);
        if (!postgres) {
            return oneScan;
        }
        String byIndex = Extraction.boundsByIndex(job);
        return Explain.of(source, byIndex).cost() < Explain.of(source, oneScan).cost() ? byIndex : oneScan;
    }

    /** [min, max] cut into equal spans of the key's long form (sources other than PostgreSQL). */
    private static void equalRanges(EtlJob job, KeyType type, Object min, Object max, List<Partition> plan) {
        BigInteger lo = BigInteger.valueOf(type.toLong(min));
        BigInteger span = BigInteger.valueOf(type.toLong(max)).subtract(lo).add(BigInteger.ONE);
        int n = (int) Math.max(1, Math.min(job.partitions(), span.min(BigInteger.valueOf(Integer.MAX_VALUE)).longValue()));
        for (int i = 0; i < n; i++) {
            long from = lo.add(span.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n))).longValue();
            long to = i == n - 1 ? type.toLong(max)
                    : lo.add(span.multiply(BigInteger.valueOf(i + 1)).divide(BigInteger.valueOf(n))).longValue();
            // the outer bounds are the values themselves (exact, and infinity stays infinity)
            plan.add(new Partition(i, type, i == 0 ? min : type.fromLong(from), i == n - 1 ? max : type.fromLong(to)));
        }
    }
}
