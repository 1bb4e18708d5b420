package io.etlpool.etl;

import io.etlpool.EtlPool;
import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.etlpool.etl.EtlFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

/** All partitions of a run read one snapshot of a PostgreSQL source: a write during the run is all in or all out. */
@PostgresTest
class SourceSnapshotTest {

    private static final int ROWS = 4_000;

    @Test
    void rowsCommittedToTheSourceDuringARunAreAllOutNeverHalfSeen(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int PRIMARY KEY, v text)");
            s.execute("INSERT INTO src SELECT 2 * g, 'even ' || g FROM generate_series(1, " + ROWS + ") g");
            s.execute("CREATE TABLE dst (LIKE src)");
        }
        try (EtlPool pool = EtlFixtures.pool(db, 2); Connection writer = db.connect(); Connection c = db.connect()) {
            AtomicBoolean inserted = new AtomicBoolean();
            // once the first chunk of the first partition has committed, one transaction adds a row to every range
            ProgressListener writeDuringTheRun = e -> {
                if (inserted.compareAndSet(false, true)) {
                    try (Statement s = writer.createStatement()) {
                        s.execute("INSERT INTO src SELECT 2 * g - 1, 'odd ' || g FROM generate_series(1, " + ROWS + ") g");
                    } catch (SQLException ex) {
                        throw new IllegalStateException(ex);
                    }
                }
            };
            JobResult result = EtlJob.builder("snapshot").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(4).parallelism(1).chunkSize(500).target(pool, "dst").listener(writeDuringTheRun)
                    .build().run();

            assertThat(inserted).isTrue();
            assertThat(count(c, "src")).isEqualTo(2 * ROWS);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT count(*), count(*) FILTER (WHERE id % 2 = 1) FROM dst")) {
                rs.next();
                assertThat(rs.getInt(2)).as("rows written during the run").isZero();
                assertThat(rs.getInt(1)).isEqualTo(ROWS);
            }
            assertThat(result.snapshot()).isEqualTo("one snapshot for all partitions");
        }
    }

    @Test
    void whenTheSnapshotsSessionIsKilledRetriesReadTheirOwnAndTheResultSaysSo(TestDatabase db) throws Exception {
        try (EtlPool pool = EtlFixtures.pool(db, 4); Connection c = db.connect()) {
            EtlFixtures.createSource(c, "src", 20_000);
            EtlFixtures.createTarget(c, "dst");
            AtomicBoolean killed = new AtomicBoolean();
            // kills every session: the partitions', the lease's and the one holding the exported snapshot
            ProgressListener killOnce = e -> {
                if (killed.compareAndSet(false, true)) {
                    db.terminateBackends();
                }
            };
            JobResult result = EtlJob.builder("killed-snapshot").source(pool, "SELECT * FROM src").partitionColumn("id")
                    .partitions(4).parallelism(2).chunkSize(1_000).target(pool, "dst").listener(killOnce)
                    .retryBackoff(java.time.Duration.ofMillis(20)).build().run();
            assertThat(killed).isTrue();
            assertThat(result.retries()).isPositive();
            assertThat(result.snapshot()).contains("the transaction exporting the run's snapshot ended");
            try (Connection check = db.connect()) {
                assertThat(EtlFixtures.checksum(check, "dst")).isEqualTo(EtlFixtures.checksum(check, "src"));
            }
        }
    }
}
