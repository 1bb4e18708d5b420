package io.etlpool.etl.internal;

import io.etlpool.etl.EtlJob;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How many rows a job's source query will give, as the source's planner estimates them ({@code EXPLAIN}: for a
 * table, {@code pg_class.reltuples} scaled to its current pages), without reading the rows. Used to start the
 * largest streams first and to show a percentage and an ETA; -1 when the source is not PostgreSQL or the
 * estimate fails.
 */
final class SizeEstimate {

    private SizeEstimate() {
    }

    static long rows(EtlJob job) {
        try (Connection c = job.sourcePool().getConnection()) {
            if (!PartitionTask.Sessions.isPostgres(c)) {
                return -1;
            }
            c.setAutoCommit(true);
            return Explain.of(c, job.query()).rows();
        } catch (SQLException | RuntimeException e) {
            return -1; // an estimate only: the run itself reports a real problem with the query
        }
    }
}
