package io.etlpool.spark.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Upsert: the partition's stage merged into the target with {@code INSERT ... ON CONFLICT (key) DO UPDATE}. */
final class Merge {

    static final String STAGE = "etlpool_spark_stage";

    private Merge() {
    }

    static void run(Connection c, WriteSpec spec, int partition) throws SQLException {
        List<String> keys = Arrays.asList(spec.key);
        List<String> keyList = new ArrayList<>();
        keys.forEach(k -> keyList.add(Names.quote(k)));
        List<String> sets = new ArrayList<>();
        for (String col : spec.columns) {
            if (!keys.contains(col)) {
                sets.add(Names.quote(col) + " = EXCLUDED." + Names.quote(col));
            }
        }
        String sql = "INSERT INTO " + spec.table + " (" + spec.columnList() + ") SELECT " + spec.columnList() + " FROM "
                + STAGE + " ON CONFLICT (" + String.join(", ", keyList) + ") DO "
                + (sets.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", sets));
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        } catch (SQLException e) {
            if ("21000".equals(e.getSQLState())) {
                throw new SQLException("partition " + partition + " has two rows with the same key (" + String.join(", ", keys)
                        + "), so which one wins is undefined; remove the duplicates first, e.g. dropDuplicates", "21000", e);
            }
            throw e;
        }
    }
}
