package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;

import static io.etlpool.etl.EtlFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A reject table takes rows the target refuses for their values (SQLState class 22, 23); an error about
 * the job's setup stops it with its cause, and maxRejects stops a job whose rows are mostly refused.
 */
@PostgresTest
class RowErrorTest {

    private static void source(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int PRIMARY KEY, amount int)");
            s.execute("INSERT INTO src SELECT g, CASE WHEN g % 5 = 0 THEN g ELSE -g END FROM generate_series(1, 2000) g");
        }
    }

    @Test
    void aMissingTargetTableStopsTheJobInsteadOfRejectingEveryRow(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect()) {
            source(c);
            EtlJob job = EtlJob.builder("no-table").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(2).chunkSize(500).target(pool, "missing").rejectTable("missing_rejects").build();
            assertThatThrownBy(job::run).isInstanceOfSatisfying(EtlException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42P01");
                assertThat(e.getMessage()).contains("not about a row", "\"missing\" does not exist");
            });
            assertThat(count(c, "missing_rejects")).isZero();
        }
    }

    @Test
    void anUpsertKeyWithoutAUniqueIndexStopsTheJob(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect(); Statement s = c.createStatement()) {
            source(c);
            s.execute("CREATE TABLE dst (id int, amount int)");
            EtlJob job = EtlJob.builder("no-index").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(2).chunkSize(500).target(pool, "dst").mode(LoadMode.UPSERT).key("id")
                    .rejectTable("dst_rejects").build();
            assertThatThrownBy(job::run).isInstanceOfSatisfying(EtlException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("42P10"));
            assertThat(count(c, "dst_rejects")).isZero();
            assertThat(count(c, "dst")).isZero();
        }
    }

    @Test
    void maxRejectsStopsAJobWhoseRowsAreMostlyRejected(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect(); Statement s = c.createStatement()) {
            source(c);
            s.execute("CREATE TABLE dst (id int PRIMARY KEY, amount int CHECK (amount >= 0))");
            EtlJob.Builder job = EtlJob.builder("mostly-bad").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(1).chunkSize(500).target(pool, "dst").rejectTable("dst_rejects");
            assertThatThrownBy(() -> job.maxRejectsPercent(10).build().run())
                    .hasMessageContaining("400 of 500 rows read in this run were rejected")
                    .hasMessageContaining("maxRejects 10%");
            assertThat(count(c, "dst")).isZero(); // the chunk that crossed the limit was rolled back

            assertThatThrownBy(() -> job.maxRejectsPercent(-1).maxRejects(1_000).build().run())
                    .hasMessageContaining("1200 of 1500 rows read").hasMessageContaining("maxRejects 1000");
            assertThat(count(c, "dst")).isEqualTo(200);
            assertThat(count(c, "dst_rejects")).isEqualTo(800);
        }
    }
}
