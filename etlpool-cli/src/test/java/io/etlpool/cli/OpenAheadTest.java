package io.etlpool.cli;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlJob;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A run opens the connections it will hold at its start, unless the job file set the pool's minSize. */
@PostgresTest
class OpenAheadTest {

    @Test
    void withoutMinSizeThePoolOpensTheRunsConnectionsAtOnceWithinMaxSize(TestDatabase db) throws Exception {
        JobFile.Side side = side(db, 4);
        try (EtlPool pool = JobBuilder.pool("ahead", side, null)) {
            JobBuilder.openAhead(pool, side, 3);
            assertThat(pool.stats().minSize()).isEqualTo(3);
            assertThat(openedWithin(pool, 3, 10_000)).as(pool.stats().toString()).isTrue();

            JobBuilder.openAhead(pool, side, 9);
            assertThat(pool.stats().minSize()).as("never above maxSize").isEqualTo(4);
        }
    }

    @Test
    void aMinSizeTheJobFileSetStays(TestDatabase db) throws Exception {
        JobFile.Side side = side(db, 4);
        side.minSize = 1;
        side.minSizeSet = true;
        try (EtlPool pool = JobBuilder.pool("as-set", side, null)) {
            JobBuilder.openAhead(pool, side, 3);
            assertThat(pool.stats().minSize()).isEqualTo(1);
        }
    }

    @Test
    void aRunOpensWhatItsPartitionsHoldNotItsWholeParallelism(TestDatabase db) throws Exception {
        JobFile.Side side = side(db, 8);
        try (EtlPool source = JobBuilder.pool("held-src", side, null);
             EtlPool target = JobBuilder.pool("held-dst", side, null)) {
            // one partition (no partition column) at parallelism 8: one stream, and the target's lease
            EtlJob one = EtlJob.builder("held-one").source(source, "SELECT 1 AS id ORDER BY id").parallelism(8)
                    .target(target, "t").build();
            assertThat(JobBuilder.heldByRun(one)).containsEntry(source, 1).containsEntry(target, 2);
            // three partitions at parallelism 8: three streams, the source snapshot and the lease
            EtlJob three = EtlJob.builder("held-three").source(source, "SELECT 1 AS id").partitionColumn("id")
                    .partitions(3).parallelism(8).target(target, "t").build();
            assertThat(JobBuilder.heldByRun(three)).containsEntry(source, 4).containsEntry(target, 4);
        }
    }

    @Test
    void theParserTellsASetMinSizeFromTheDefault() throws Exception {
        String file = String.join("\n", "name: j", "source:", "  url: jdbc:postgresql://127.0.0.1:1/a", "  user: u",
                "  query: SELECT 1 AS id", "target:", "  url: jdbc:postgresql://127.0.0.1:1/b", "  user: u",
                "  table: t", "pool:", "  target: { minSize: 1 }", "");
        JobFile job = new JobFileParser("job.yaml", name -> null).parse(new StringReader(file));
        assertThat(List.of(job.source.minSizeSet, job.target.minSizeSet)).containsExactly(false, true);
    }

    private static JobFile.Side side(TestDatabase db, int maxSize) {
        JobFile.Side side = new JobFile.Side();
        side.url = db.jdbcUrl();
        side.user = db.user();
        side.password = db.password();
        side.maxSize = maxSize;
        return side;
    }

    private static boolean openedWithin(EtlPool pool, int connections, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < end) {
            if (pool.stats().total() >= connections) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }
}
