package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run cuts the job's query (an increment's bounds) by copying the job with another query: the copy must
 * carry every other setting, including any setting added later (the copy constructor lists fields by hand).
 */
@PostgresTest
class JobCopyTest {

    @Test
    void theCopyWithAnotherQueryKeepsEverySetting(TestDatabase db) throws Exception {
        try (EtlPool source = EtlFixtures.pool(db, 2); EtlPool target = EtlFixtures.pool(db, 2)) {
            EtlJob job = EtlJob.builder("copy").source(source, "SELECT * FROM t").partitionColumn("id").partitions(7)
                    .fetchSize(123).column("amount", "amount * 2").transform(RowTransform.map(r -> r))
                    .target(target, "u").mode(LoadMode.UPSERT).key("id").method(LoadMethod.BATCH).binaryRelay(false)
                    .createTable(true).rejectTable("u_rejects").checkpointSchema("etl").parallelism(3)
                    .adaptiveParallelism(true).chunkSize(77).maxRetries(4).retryBackoff(Duration.ofMillis(9))
                    .listener(e -> { }).waitForLease(Duration.ofSeconds(3)).maxRejects(5).maxRejectsPercent(1.5)
                    .growPoolForRun(false).incremental(Incremental.cursor("id")).build();
            Constructor<EtlJob> copy = EtlJob.class.getDeclaredConstructor(EtlJob.class, String.class);
            copy.setAccessible(true);
            EtlJob cut = copy.newInstance(job, "SELECT * FROM t WHERE id < 10");

            int compared = 0;
            for (Field f : EtlJob.class.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                if (f.getName().equals("query")) {
                    assertThat(f.get(cut)).isEqualTo("SELECT * FROM t WHERE id < 10");
                } else {
                    assertThat(f.get(cut)).as(f.getName()).isEqualTo(f.get(job));
                    compared++;
                }
            }
            assertThat(compared).as("fields compared").isGreaterThan(25);
        }
    }
}
