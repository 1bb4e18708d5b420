package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binary relay's chunks default to 100,000 rows (a chunk's round trips and commit cost more than its
 * rows there), the row and transform paths' to 10,000; a chunkSize the user sets holds on every path.
 */
@PostgresTest
class ChunkSizeDefaultsTest {

    @Test
    void theRelayDefaultsToLargerChunksAndASetChunkSizeHoldsEverywhere(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 1)) {
            EtlJob unset = EtlJob.builder("d").source(pool, "SELECT 1 AS id").partitionColumn("id").target(pool, "t").build();
            assertThat(unset.chunkSize()).isEqualTo(10_000);
            assertThat(unset.relayChunkSize()).isEqualTo(100_000);

            EtlJob set = EtlJob.builder("s").source(pool, "SELECT 1 AS id").partitionColumn("id").target(pool, "t").chunkSize(10_000).build();
            assertThat(set.chunkSize()).isEqualTo(10_000);
            assertThat(set.relayChunkSize()).as("a chunkSize set to the row path's default is still the user's").isEqualTo(10_000);
        }
    }
}
