package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static io.etlpool.etl.EtlFixtures.checksum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A PostgreSQL source is cut at its key's quantiles: skewed keys still give partitions of similar size. */
@PostgresTest
class EvenPartitionsTest {

    private static final int ROWS = 200_000;
    private static final int PARTITIONS = 4;

    private static void assertEven(JobResult result, long rows) {
        List<PartitionResult> parts = result.partitions();
        assertThat(parts).hasSize(PARTITIONS);
        double even = (double) rows / PARTITIONS;
        for (PartitionResult p : parts) {
            assertThat((double) p.rowsWritten()).as("rows of partition %s", p.range()).isBetween(0.5 * even, 2.0 * even);
        }
        assertThat(parts.stream().mapToLong(PartitionResult::rowsWritten).sum()).isEqualTo(rows);
    }

    @Test
    void oneOutlierIdDoesNotPutEveryRowIntoOnePartition(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 6); Connection c = db.connect(); Statement s = c.createStatement()) {
            EtlFixtures.createSource(c, "src", ROWS - 1);
            s.execute("INSERT INTO src (id) VALUES (1000000000000)"); // equal ranges: 199,999 rows in the first
            JobResult result = EtlJob.builder("outlier").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(PARTITIONS).parallelism(2).target(pool, "dst").createTable(true).build().run();
            assertEven(result, ROWS);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void timestampKeysCrowdedInOneHourAreCutEvenly(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 6); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ev (id bigint PRIMARY KEY, at timestamptz NOT NULL)");
            // nearly all rows within one hour of 2024, one in 1990 and one at infinity
            s.execute("INSERT INTO ev SELECT g, timestamptz '2024-05-01 10:00+02' + g * interval '10 ms' "
                    + "FROM generate_series(1, " + (ROWS - 2) + ") g");
            s.execute("INSERT INTO ev VALUES (-1, '1990-01-01 00:00+00'), (-2, 'infinity')");
            JobResult result = EtlJob.builder("crowded").source(pool, "SELECT id, at FROM ev").partitionColumn("at")
                    .partitions(PARTITIONS).parallelism(2).target(pool, "ev_copy").createTable(true).build().run();
            assertEven(result, ROWS);
            try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM ev_copy), (SELECT count(*) FROM "
                    + "(SELECT * FROM ev EXCEPT SELECT * FROM ev_copy) missing)")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(ROWS);
                assertThat(rs.getLong(2)).isZero();
            }
        }
    }

    @Test
    void aResumeKeepsTheStoredBoundsThoughTheKeysMoved(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 6); Connection c = db.connect(); Statement s = c.createStatement()) {
            EtlFixtures.createSource(c, "src", ROWS);
            s.execute("CREATE TABLE held AS SELECT * FROM src WHERE id > 190000 AND id < " + ROWS);
            s.execute("DELETE FROM src WHERE id > 190000 AND id < " + ROWS);
            EtlJob.Builder job = EtlJob.builder("resume").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(PARTITIONS).parallelism(1).chunkSize(5_000).target(pool, "dst").createTable(true);
            java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
            assertThatThrownBy(() -> job.transform(r -> {
                if (seen.incrementAndGet() == 60_000) {
                    throw new IllegalStateException("stop");
                }
                return List.of(r);
            }).build().run()).hasMessageContaining("stop");
            String before = ranges(s);
            // rows back in the last range, not yet read: a new plan would cut elsewhere, the stored one is kept
            s.execute("INSERT INTO src SELECT * FROM held");
            JobResult result = job.transform(RowTransform.identity()).build().run();
            assertThat(ranges(s)).isEqualTo(before);
            assertThat(result.partitions()).hasSize(PARTITIONS);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    private static String ranges(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT string_agg(range_lo || '..' || range_hi, ',' ORDER BY part) "
                + "FROM etlpool_checkpoint WHERE job = 'resume'")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
