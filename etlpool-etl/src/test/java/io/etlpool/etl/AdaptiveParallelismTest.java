package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.etlpool.etl.EtlFixtures.checksum;
import static org.assertj.core.api.Assertions.assertThat;

/** A real run with adaptive parallelism: it completes exactly, and its level stays within its bounds. */
@PostgresTest
class AdaptiveParallelismTest {

    @Test
    void anAdaptiveRunCompletesExactlyWithItsLevelInTheProgressEvents(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 8); Connection c = db.connect()) {
            EtlFixtures.createSource(c, "src", 60_000);
            EtlFixtures.createTarget(c, "dst");
            List<Integer> levels = new CopyOnWriteArrayList<>();
            JobResult r = EtlJob.builder("adaptive").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(8).chunkSize(500).target(pool, "dst").adaptiveParallelism(true)
                    .listener(e -> levels.add(e.streams())).build().run();
            assertThat(r.rowsWritten()).isEqualTo(60_000);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
            assertThat(levels).isNotEmpty();
            assertThat(levels.get(0)).isBetween(1, 2); // starts at up to 2 streams
            assertThat(levels).allMatch(l -> l >= 1 && l <= 4); // one pool of 8: 4 streams of two connections
        }
    }

    @Test
    void aFixedRunReportsItsParallelismAsTheLevel(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 6); Connection c = db.connect()) {
            EtlFixtures.createSource(c, "src", 5_000);
            EtlFixtures.createTarget(c, "dst");
            List<Integer> levels = new CopyOnWriteArrayList<>();
            EtlJob.builder("fixed").source(pool, "SELECT * FROM src").partitionColumn("id").partitions(4)
                    .parallelism(3).chunkSize(500).target(pool, "dst").listener(e -> levels.add(e.streams()))
                    .build().run();
            assertThat(levels).isNotEmpty().allMatch(l -> l == 3);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }
}
