package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.etlpool.etl.EtlFixtures.checksum;
import static io.etlpool.etl.EtlFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A job stopped midway and run again ends with exactly the source's rows; transient failures are retried. */
@PostgresTest
class ExactlyOnceTest {

    private static final int ROWS = 60_000;

    private static EtlJob.Builder job(EtlPool pool, String name) {
        return EtlJob.builder(name).source(pool, "SELECT * FROM src").partitionColumn("id").partitions(4)
                .parallelism(2).chunkSize(2_000).target(pool, "dst");
    }

    @Test
    void aJobThatFailedMidwayResumesFromItsCheckpoints(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect()) {
            EtlFixtures.createSource(c, "src", ROWS);
            EtlFixtures.createTarget(c, "dst");
            AtomicInteger seen = new AtomicInteger();
            RowTransform failsOnce = r -> {
                if (seen.incrementAndGet() == 25_000) {
                    throw new IllegalStateException("simulated crash");
                }
                return List.of(r);
            };
            assertThatThrownBy(() -> job(pool, "resume").transform(failsOnce).build().run())
                    .hasMessageContaining("simulated crash");
            long afterCrash = count(c, "dst");
            assertThat(afterCrash).isBetween(1L, (long) ROWS - 1);

            JobResult second = job(pool, "resume").build().run();
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
            assertThat(second.rowsWritten()).isEqualTo(ROWS - afterCrash);
            assertThat(second.partitions()).anyMatch(PartitionResult::resumed);

            JobResult third = job(pool, "resume").build().run();
            assertThat(third.alreadyComplete()).isTrue();
            assertThat(third.rowsWritten()).isZero();
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));

            try (Statement s = c.createStatement()) {
                s.execute("TRUNCATE dst");
            }
            JobResult again = job(pool, "resume").build().runFromScratch();
            assertThat(again.rowsWritten()).isEqualTo(ROWS);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void sessionsKilledDuringARunAreRetriedOnFreshConnections(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect()) {
            EtlFixtures.createSource(c, "src", ROWS);
            EtlFixtures.createTarget(c, "dst");
            AtomicBoolean killed = new AtomicBoolean();
            ProgressListener killOnce = e -> {
                if (e.rowsWritten() > 10_000 && killed.compareAndSet(false, true)) {
                    Thread t = new Thread(db::terminateBackends);
                    t.start();
                    try {
                        t.join();
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            JobResult result = job(pool, "killed").listener(killOnce).retryBackoff(java.time.Duration.ofMillis(20))
                    .build().run();
            assertThat(killed).isTrue();
            assertThat(result.retries()).isPositive();
            try (Connection check = db.connect()) { // the kill ended this test's own session too
                assertThat(checksum(check, "dst")).isEqualTo(checksum(check, "src"));
            }
        }
    }

    @Test
    void unpartitionedJobsResumeByRowPosition(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect()) {
            EtlFixtures.createSource(c, "src", 10_000);
            EtlFixtures.createTarget(c, "dst");
            AtomicInteger seen = new AtomicInteger();
            EtlJob.Builder b = EtlJob.builder("positions").source(pool, "SELECT * FROM src ORDER BY id")
                    .target(pool, "dst").chunkSize(1_000).method(LoadMethod.BATCH);
            assertThatThrownBy(() -> b.transform(r -> {
                if (seen.incrementAndGet() == 4_500) {
                    throw new IllegalStateException("stop");
                }
                return List.of(r);
            }).build().run()).hasMessageContaining("stop");
            assertThat(count(c, "dst")).isEqualTo(4_000);
            JobResult rest = b.transform(RowTransform.identity()).build().run();
            assertThat(rest.rowsWritten()).isEqualTo(6_000);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }
}
