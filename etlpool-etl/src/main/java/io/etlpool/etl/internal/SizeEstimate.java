package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many rows a job's source query will give, as the source's planner estimates them ({@code EXPLAIN}: for a
 * table, {@code pg_class.reltuples} scaled to its current pages), without reading the rows. Used to start the
 * largest streams first and to show a percentage and an ETA; -1 when the source is not PostgreSQL or the
 * estimate fails.
 */
final class SizeEstimate {

    private static final Pattern ROWS = Pattern.compile("rows=(\\d+)");

    private SizeEstimate() {
    }

    static long rows(EtlJob job) {
        try (Connection c = job.sourcePool().getConnection()) {
            if (!PartitionTask.Sessions.isPostgres(c)) {
                return -1;
            }
            c.setAutoCommit(true);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN " + job.query())) {
                if (rs.next()) {
                    Matcher m = ROWS.matcher(rs.getString(1));
                    if (m.find()) {
                        return Long.parseLong(m.group(1));
                    }
                }
                return -1;
            }
        } catch (SQLException | RuntimeException e) {
            return -1; // an estimate only: the run itself reports a real problem with the query
        }
    }
}
