package io.etlpool.etl.internal;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlJob;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the fingerprint takes of a job's names: one spelling per real name ({@code Fact}, {@code fact} and
 * {@code "fact"} are one table), a schema only where written ({@code public.fact} is another job), and
 * not the checkpoint schema.
 */
@PostgresTest
class JobIdentityNamesTest {

    private static EtlJob job(EtlPool pool, String table, String partitionColumn, String checkpointSchema) {
        EtlJob.Builder b = EtlJob.builder("names").source(pool, "SELECT * FROM src").partitionColumn(partitionColumn)
                .target(pool, table);
        if (checkpointSchema != null) {
            b.checkpointSchema(checkpointSchema);
        }
        return b.build();
    }

    @Test
    void namesCountInOneSpellingAndTheCheckpointSchemaDoesNotCount(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlPool.builder().jdbcUrl(db.jdbcUrl()).username(db.user()).password(db.password())
                .maxSize(1).closeGracePeriod(Duration.ofSeconds(2)).build()) {
            String stored = JobIdentity.of(job(pool, "fact", "id", null)).definition();
            assertThat(JobIdentity.of(job(pool, "Fact", "ID", "etl_state")).changesFrom(stored)).isEmpty();
            assertThat(JobIdentity.of(job(pool, "\"fact\"", "\"id\"", null)).changesFrom(stored)).isEmpty();
            assertThat(JobIdentity.of(job(pool, "public.fact", "id", null)).changesFrom(stored))
                    .containsExactly("target table changed from 'fact' to 'public.fact'");
            assertThat(JobIdentity.of(job(pool, "\"Fact\"", "id", null)).changesFrom(stored))
                    .containsExactly("target table changed from 'fact' to '\"Fact\"'");
        }
    }
}
