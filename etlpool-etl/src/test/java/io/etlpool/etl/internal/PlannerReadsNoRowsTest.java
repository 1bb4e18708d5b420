package io.etlpool.etl.internal;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlJob;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Planning a large analyzed table with an indexed key reads none of its rows: the key's bounds come from
 * its index, the cut points from the table's statistics, and the partitions are still even on skewed keys.
 * The server's own scan counters are the witness.
 */
@PostgresTest
class PlannerReadsNoRowsTest {

    private static final int ROWS = 300_000;
    private static final long OUTLIER = 1_000_000_000_000L;

    @Test
    void aLargeAnalyzedTableIsPlannedFromItsIndexAndStatistics(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE big (id bigint PRIMARY KEY, v text)");
            s.execute("INSERT INTO big SELECT g, 'v' || g FROM generate_series(1, " + (ROWS - 1) + ") g");
            s.execute("INSERT INTO big VALUES (" + OUTLIER + ", 'outlier')");
        }
        // ANALYZE once the inserts' counters have reached the server, else they would count as changes after it
        waitFor(db, "n_mod_since_analyze >= " + ROWS);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ANALYZE big");
        }
        waitFor(db, "n_mod_since_analyze * 10 <= n_live_tup AND n_live_tup > 0");
        long[] before = scans(db);

        List<Partition> plan;
        try (EtlPool pool = EtlPool.builder().jdbcUrl(db.jdbcUrl()).username(db.user()).password(db.password())
                .maxSize(1).closeGracePeriod(Duration.ofSeconds(2)).build(); Connection c = pool.getConnection()) {
            EtlJob job = EtlJob.builder("plan").source(pool, "SELECT * FROM big").partitionColumn("id")
                    .partitions(4).target(pool, "dst").build();
            plan = Planner.plan(job, c);
        }
        // the planning session has ended, so its counters reach the server: wait for its index scans
        long[] after = waitForScans(db, before);
        assertThat(after[0]).as("sequential scans of the table while planning").isEqualTo(before[0]);

        assertThat(plan).hasSize(4);
        assertThat(plan.get(0).lo).isEqualTo(1L);
        assertThat(plan.get(3).hi).isEqualTo(OUTLIER);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM big WHERE id >= ? AND id < ?")) {
            for (int i = 0; i < 3; i++) {
                ps.setLong(1, (Long) plan.get(i).lo);
                ps.setLong(2, (Long) plan.get(i).hi);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    // ANALYZE samples 30,000 rows: each quarter within a few percent of ROWS / 4
                    assertThat(rs.getLong(1)).as("rows in partition " + i).isBetween(ROWS / 4L * 9 / 10, ROWS / 4L * 11 / 10);
                }
            }
        }
    }

    /** Sequential and index scans of the table, as the server's statistics count them. */
    private static long[] scans(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT seq_scan, coalesce(idx_scan, 0) FROM pg_stat_user_tables "
                    + "WHERE relname = 'big'")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    private static long[] waitForScans(TestDatabase db, long[] before) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long[] now = scans(db);
        while (now[1] == before[1] && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = scans(db);
        }
        assertThat(now[1]).as("index scans of the table while planning (the planning session's counters)")
                .isGreaterThan(before[1]);
        return now;
    }

    private static void waitFor(TestDatabase db, String condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            while (true) {
                s.execute("SELECT pg_stat_clear_snapshot()");
                try (ResultSet rs = s.executeQuery("SELECT " + condition + " FROM pg_stat_user_tables WHERE relname = 'big'")) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("statistics of the table fresh within 30 s").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }
}
