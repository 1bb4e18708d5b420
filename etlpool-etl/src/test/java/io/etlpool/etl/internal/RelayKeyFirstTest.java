package io.etlpool.etl.internal;

import io.etlpool.EtlPool;
import io.etlpool.etl.EtlJob;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the source sends the partition key once: only for the query's own columns ({@code src.*}) whose first
 * is the key, by the name PostgreSQL resolves {@code src.key} to. Otherwise the relay selects a leading copy
 * of the key and drops it.
 */
@PostgresTest
class RelayKeyFirstTest {

    @Test
    void theKeyIsSentOnceOnlyWhenItIsTheFirstOfTheQuerysOwnColumns(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlPool.builder().jdbcUrl(db.jdbcUrl()).username(db.user()).password(db.password())
                .minSize(0).maxSize(1).connectionTimeout(Duration.ofSeconds(20)).build()) {
            assertThat(BinaryRelay.keyFirst(job(pool, "id").build(), List.of("id", "v"))).isTrue();
            assertThat(BinaryRelay.keyFirst(job(pool, "ID").build(), List.of("id", "v"))).as("unquoted folds").isTrue();
            assertThat(BinaryRelay.keyFirst(job(pool, "\"Id\"").build(), List.of("Id", "v"))).isTrue();
            assertThat(BinaryRelay.keyFirst(job(pool, "\"Id\"").build(), List.of("id", "v"))).isFalse();
            assertThat(BinaryRelay.keyFirst(job(pool, "id").build(), List.of("v", "id"))).as("key last").isFalse();
            assertThat(BinaryRelay.keyFirst(job(pool, "id").column("id", "id").column("v", "v").build(),
                    List.of("id", "v"))).as("a column mapping").isFalse();
        }
    }

    private static EtlJob.Builder job(EtlPool pool, String key) {
        return EtlJob.builder("k").source(pool, "SELECT * FROM t").partitionColumn(key).target(pool, "t");
    }
}
