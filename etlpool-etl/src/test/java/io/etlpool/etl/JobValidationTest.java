package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

@PostgresTest
class JobValidationTest {

    @Test
    void settingsAreCheckedWithAMessageThatSaysWhatToDo(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2)) {
            assertThatThrownBy(() -> EtlJob.builder("j").source(pool, "SELECT * FROM t").target(pool, "u").build())
                    .hasMessageContaining("needs a stable order: add an ORDER BY");
            assertThatThrownBy(() -> EtlJob.builder("j").source(pool, "SELECT * FROM t").partitionColumn("id")
                    .target(pool, "u").mode(LoadMode.UPSERT).build())
                    .hasMessageContaining("UPSERT needs key columns");
            assertThatThrownBy(() -> EtlJob.builder("bad name!").build()).hasMessageContaining("job name 'bad name!'");
            assertThatThrownBy(() -> EtlJob.builder("j").source(pool, "SELECT * FROM t").partitionColumn("id")
                    .target(pool, "u").chunkSize(0).build()).hasMessageContaining("chunkSize (0)");
        }
    }

    @Test
    void nullPartitionKeysAreRefusedRatherThanLost(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2)) {
            pool.execute("CREATE TABLE t (id int, v text)");
            pool.execute("INSERT INTO t VALUES (1, 'a'), (NULL, 'b')");
            assertThatThrownBy(() -> EtlJob.builder("nulls").source(pool, "SELECT * FROM t").partitionColumn("id")
                    .target(pool, "u").createTable(true).build().run())
                    .isInstanceOf(EtlException.class).hasMessageContaining("1 NULL value(s)");
        }
    }
}
