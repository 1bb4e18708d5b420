package io.etlpool.etl.internal;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlJob;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Cut points at the key's quantiles: exact for a small source, sampled for a large one, always distinct. */
@PostgresTest
class QuantilesTest {

    private static final long MIN = 1;
    private static final long MAX = 1_000_000_000_000L;

    private static List<Object> cuts(TestDatabase db, int partitions, long sampleRows) throws Exception {
        try (EtlPool pool = EtlPool.builder().jdbcUrl(db.jdbcUrl()).username(db.user()).password(db.password())
                .maxSize(1).closeGracePeriod(Duration.ofSeconds(2)).build(); Connection c = pool.getConnection()) {
            EtlJob job = EtlJob.builder("q").source(pool, "SELECT * FROM skewed").partitionColumn("id")
                    .target(pool, "dst").build();
            return Quantiles.cuts(job, c, KeyType.INTEGER, MIN, MAX, partitions, sampleRows);
        }
    }

    private static void skewed(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE skewed AS SELECT g::bigint AS id FROM generate_series(1, 199999) g");
            s.execute("INSERT INTO skewed VALUES (" + MAX + ")");
            s.execute("ANALYZE skewed");
        }
    }

    @Test
    void aSmallSourceIsCutAtItsExactQuantiles(TestDatabase db) throws Exception {
        skewed(db);
        assertThat(cuts(db, 4, 1_000_000)).containsExactly(50_000L, 100_000L, 150_000L);
    }

    @Test
    void aLargeSourceIsCutAtTheQuantilesOfASample(TestDatabase db) throws Exception {
        skewed(db);
        List<Object> cuts = cuts(db, 4, 20_000); // a sample of about a tenth of the rows
        assertThat(cuts).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat((Long) cuts.get(i)).isBetween(50_000L * (i + 1) - 5_000, 50_000L * (i + 1) + 5_000);
        }
    }

    @Test
    void repeatedKeysGiveFewerDistinctCutsAboveTheMinimum(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // three quarters of the rows share the smallest key: the quantiles 1/8..6/8 are that key, 7/8 is 175000
            s.execute("CREATE TABLE skewed AS SELECT CASE WHEN g <= 150000 THEN 1 ELSE g END::bigint AS id "
                    + "FROM generate_series(1, 200000) g");
        }
        assertThat(cuts(db, 8, 1_000_000)).containsExactly(175_000L);
    }
}
