package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job that does not set its parallelism runs one stream per core of this machine (at most one per
 * partition); its partition count stays a constant, so that its fingerprint does not depend on the machine.
 */
@PostgresTest
class DefaultParallelismTest {

    private static EtlJob.Builder job(EtlPool pool) {
        return EtlJob.builder("p").source(pool, "SELECT * FROM src").partitionColumn("id").target(pool, "dst");
    }

    @Test
    void theDefaultIsOneStreamPerCoreAtMostOnePerPartition(TestDatabase db) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        try (EtlPool pool = EtlFixtures.pool(db, 2)) {
            EtlJob plain = job(pool).build();
            assertThat(plain.partitions()).isEqualTo(EtlJob.DEFAULT_PARTITIONS);
            assertThat(plain.parallelism()).isEqualTo(Math.min(EtlJob.DEFAULT_PARTITIONS, cores));
            assertThat(job(pool).partitions(64).build().parallelism()).isEqualTo(Math.min(64, cores));
            assertThat(job(pool).partitions(1).build().parallelism()).isEqualTo(1);
            // set explicitly: as set, and the partitions follow it as before
            EtlJob six = job(pool).parallelism(6).build();
            assertThat(six.parallelism()).isEqualTo(6);
            assertThat(six.partitions()).isEqualTo(6);
        }
        assertThat(EtlJob.defaultParallelism(4, 2)).isEqualTo(2);
        assertThat(EtlJob.defaultParallelism(4, 16)).isEqualTo(4);
        assertThat(EtlJob.defaultParallelism(8, 0)).isEqualTo(1);
    }
}
