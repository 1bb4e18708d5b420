package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.etlpool.etl.EtlFixtures.checksum;
import static io.etlpool.etl.EtlFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Chunk boundaries and resume positions compare keys by value, and the positions they rely on are checked. */
@PostgresTest
class KeyByValueTest {

    private static RowTransform stopAt(int row) {
        AtomicInteger seen = new AtomicInteger();
        return r -> {
            if (seen.incrementAndGet() == row) {
                throw new IllegalStateException("stop");
            }
            return List.of(r);
        };
    }

    @Test
    void equalInstantsWithDifferentOffsetsStayInOneChunkSoAResumeSkipsNoRow(TestDatabase db, @TempDir Path dir)
            throws Exception {
        String h2 = "jdbc:h2:file:" + dir.resolve("events").toAbsolutePath();
        try (Connection h = DriverManager.getConnection(h2, "sa", ""); Statement s = h.createStatement()) {
            // H2 keeps each value's offset: rows 3 and 4 are the same instant written in two zones
            s.execute("CREATE TABLE events (id INT PRIMARY KEY, at TIMESTAMP WITH TIME ZONE)");
            s.execute("INSERT INTO events VALUES (1, TIMESTAMP WITH TIME ZONE '2024-01-01 10:00:00+00'), "
                    + "(2, TIMESTAMP WITH TIME ZONE '2024-01-01 10:01:00+00'), "
                    + "(3, TIMESTAMP WITH TIME ZONE '2024-01-01 10:02:00+00'), "
                    + "(4, TIMESTAMP WITH TIME ZONE '2024-01-01 11:02:00+01'), "
                    + "(5, TIMESTAMP WITH TIME ZONE '2024-01-01 10:03:00+00'), "
                    + "(6, TIMESTAMP WITH TIME ZONE '2024-01-01 10:04:00+00'), "
                    + "(7, TIMESTAMP WITH TIME ZONE '2024-01-01 10:05:00+00')");
        }
        try (EtlPool source = EtlPool.builder().jdbcUrl(h2).username("sa").password("").maxSize(2).build();
             EtlPool target = EtlFixtures.pool(db, 2); Connection pg = db.connect()) {
            EtlJob.Builder job = EtlJob.builder("offsets").source(source, "SELECT id, at FROM events")
                    .partitionColumn("at").partitions(1).chunkSize(3).target(target, "events_copy").createTable(true);
            // the first chunk ends after the third row read: the fourth has the same instant and must join it
            assertThatThrownBy(() -> job.transform(stopAt(6)).build().run()).hasMessageContaining("stop");
            job.transform(RowTransform.identity()).build().run();
            try (Statement s = pg.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT count(*), count(DISTINCT id) FROM events_copy")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(7);
                assertThat(rs.getInt(2)).isEqualTo(7);
            }
        }
    }

    @Test
    void aPartitionKeyHoldingInfinityIsCutWithoutOverflow(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int PRIMARY KEY, at timestamptz NOT NULL)");
            s.execute("INSERT INTO src SELECT g, timestamptz '2024-01-01 00:00+00' + g * interval '1 hour' "
                    + "FROM generate_series(1, 500) g");
            s.execute("INSERT INTO src VALUES (1001, 'infinity'), (1002, '-infinity')");
            s.execute("CREATE TABLE dst (LIKE src)");
            JobResult result = EtlJob.builder("forever").source(pool, "SELECT * FROM src").partitionColumn("at")
                    .partitions(3).chunkSize(100).target(pool, "dst").build().run();
            assertThat(result.rowsWritten()).isEqualTo(502);
            assertThat(checksum(c, "dst")).isEqualTo(checksum(c, "src"));
        }
    }

    @Test
    void aRunOfEqualKeysLongerThanTenChunksStopsNamingTheKeyInsteadOfGrowingAChunkWithoutBound(TestDatabase db)
            throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int PRIMARY KEY, day date NOT NULL)");
            s.execute("INSERT INTO src SELECT g, CASE WHEN g BETWEEN 10 AND 200 THEN date '2024-05-01' "
                    + "ELSE date '2024-01-01' + g END FROM generate_series(1, 300) g");
            s.execute("CREATE TABLE dst (LIKE src)");
            EtlJob job = EtlJob.builder("days").source(pool, "SELECT * FROM src").partitionColumn("day").partitions(1)
                    .chunkSize(10).target(pool, "dst").build();
            assertThatThrownBy(job::run).hasMessageContaining("a chunk reached 100 rows (10 times chunkSize) and the "
                            + "day value 2024-05-01 still repeats (92 rows in a row so far)")
                    .hasMessageContaining("raise chunkSize");
        }
    }

    @Test
    void anUnpartitionedResumeRefusesWhenTheRowsBeforeItsPositionAreNotTheRowsItCommitted(TestDatabase db)
            throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            EtlFixtures.createSource(c, "src", 1_000);
            EtlFixtures.createTarget(c, "dst");
            // the ORDER BY is only in a comment: the text search of the past accepted it
            EtlJob.Builder job = EtlJob.builder("no-order").source(pool, "SELECT * FROM src -- ORDER BY id\n")
                    .target(pool, "dst").chunkSize(100);
            assertThatThrownBy(() -> job.transform(stopAt(450)).build().run()).hasMessageContaining("stop");
            assertThat(count(c, "dst")).isEqualTo(400);
            // rows that come first in the source's physical order now: the old position points elsewhere
            s.execute("DELETE FROM src WHERE id <= 50");
            s.execute("VACUUM src");
            s.execute("INSERT INTO src SELECT g, 0, 0, 'new', now(), current_date, true, NULL "
                    + "FROM generate_series(2001, 2050) g");
            assertThatThrownBy(() -> job.transform(RowTransform.identity()).build().run())
                    .hasMessageContaining("cannot resume").hasMessageContaining("are not the rows committed before");
            assertThat(count(c, "dst")).isEqualTo(400);
        }
    }

    @Test
    void anUnpartitionedJobOfTextFormValuesResumesBecauseTheDigestHashesThemByContent(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE vals (id int PRIMARY KEY, x xml, a int[], b bytea, j jsonb, r int4range)");
            s.execute("INSERT INTO vals SELECT g, ('<v>' || g || '</v>')::xml, ARRAY[g, NULL], "
                    + "decode(lpad(to_hex(g), 8, '0'), 'hex'), jsonb_build_object('g', g), int4range(g, g + 1) "
                    + "FROM generate_series(1, 500) g");
            s.execute("CREATE TABLE vals_copy (LIKE vals)");
            EtlJob.Builder job = EtlJob.builder("text-forms").source(pool, "SELECT * FROM vals ORDER BY id")
                    .target(pool, "vals_copy").chunkSize(100);
            assertThatThrownBy(() -> job.transform(stopAt(250)).build().run()).hasMessageContaining("stop");
            assertThat(count(c, "vals_copy")).isEqualTo(200);
            // the resume reads the first 200 rows again: new PGobject and byte[] instances, the same digest
            assertThat(job.transform(RowTransform.identity()).build().run().rowsWritten()).isEqualTo(300);
            assertThat(RowDiff.between(c, "vals", "vals_copy")).isEmpty();
        }
    }
}
