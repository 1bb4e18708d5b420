package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;

import static io.etlpool.etl.EtlFixtures.checksum;
import static io.etlpool.etl.EtlFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A restart that would load rows twice is refused; an upsert says how many source rows it merged. */
@PostgresTest
class RestartAndMergeTest {

    @Test
    void aRestartInInsertModeRefusesWhileTheTargetHoldsRows(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect(); Statement s = c.createStatement()) {
            EtlFixtures.createSource(c, "src", 2_000);
            s.execute("CREATE TABLE dst (LIKE src)"); // no key: a second load would go unnoticed
            EtlJob job = EtlJob.builder("again").source(pool, "SELECT * FROM src").partitionColumn("id").partitions(2)
                    .target(pool, "dst").build();
            job.run();
            assertThatThrownBy(job::runFromScratch).hasMessageContaining("would load every row again")
                    .hasMessageContaining("truncate-insert").hasMessageContaining("empty the table");
            assertThat(count(c, "dst")).isEqualTo(2_000);

            s.execute("TRUNCATE dst");
            assertThat(job.runFromScratch().rowsWritten()).isEqualTo(2_000);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void anUpsertCountsTheRowsMergedByDuplicateKeysInsteadOfCallingThemWritten(TestDatabase db) throws Exception {
        for (LoadMethod method : LoadMethod.values()) {
            try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS events, balances");
                s.execute("CREATE TABLE events (seq int PRIMARY KEY, account int, balance int)");
                s.execute("INSERT INTO events SELECT g, g % 10 + 1, g FROM generate_series(1, 50) g");
                s.execute("CREATE TABLE balances (account int PRIMARY KEY, balance int)");
                JobResult r = EtlJob.builder("merge-" + method).source(pool, "SELECT account, balance FROM events "
                        + "ORDER BY seq").target(pool, "balances").mode(LoadMode.UPSERT).key("account").method(method)
                        .chunkSize(1_000).build().run();
                assertThat(count(c, "balances")).isEqualTo(10);
                assertThat(r.rowsWritten()).as(method.name()).isEqualTo(10);
                assertThat(r.rowsMerged()).as(method.name()).isEqualTo(40);
                assertThat(r.rowsRead()).isEqualTo(50);
                assertThat(r.toJson()).contains("\"rowsMerged\":40");
            }
        }
    }
}
